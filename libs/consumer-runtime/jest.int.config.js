const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'consumer-runtime:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
};
