const preset = require('../../jest.preset.js');

// Integration specs over the real PostgreSQL (a fresh database per file) and the real broker.
module.exports = {
  ...preset,
  displayName: 'accounts:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
};
