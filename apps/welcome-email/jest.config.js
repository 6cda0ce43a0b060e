module.exports = { ...require('../../jest.preset.js'), displayName: 'welcome-email', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
