module.exports = { ...require('../../jest.preset.js'), displayName: 'accounts-relay', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
