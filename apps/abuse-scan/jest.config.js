const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'abuse-scan',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
