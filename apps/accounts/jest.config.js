const preset = require('../../jest.preset.js');

// Unit specs only: no database, no broker, so they run anywhere in seconds.
module.exports = {
  ...preset,
  displayName: 'accounts',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
