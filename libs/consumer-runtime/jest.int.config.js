const preset = require('../../jest.preset.js');
const nestEsm = require('./jest.nest-esm.js');

module.exports = {
  ...preset,
  displayName: 'consumer-runtime:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
  transform: { ...preset.transform, ...nestEsm.transform },
  transformIgnorePatterns: nestEsm.transformIgnorePatterns,
};
