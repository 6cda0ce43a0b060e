const preset = require('../../jest.preset.js');
const nestEsm = require('./jest.nest-esm.js');

module.exports = {
  ...preset,
  displayName: 'consumer-runtime',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { ...preset.transform, ...nestEsm.transform },
  transformIgnorePatterns: nestEsm.transformIgnorePatterns,
};
