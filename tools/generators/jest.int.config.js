const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'generators:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  // It copies the workspace and runs a generated app's typecheck, lint, unit and integration tests.
  testTimeout: 600000,
};
