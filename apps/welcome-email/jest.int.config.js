const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'welcome-email:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
};
