const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'consumer-runtime',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
