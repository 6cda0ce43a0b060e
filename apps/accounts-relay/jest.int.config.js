module.exports = { ...require('../../jest.preset.js'), displayName: 'accounts-relay:int', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.int-spec.ts'], testTimeout: 90000 };
