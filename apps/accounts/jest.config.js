const preset = require('../../jest.preset.js');
// NestJS 12 is ESM-only; Jest's CommonJS runtime cannot load it, so those packages are compiled
// to CommonJS by the transform the consumer runtime keeps for every Nest project.
const nestEsm = require('../../libs/consumer-runtime/jest.nest-esm.js');

// Unit specs only: no database, no broker, so they run anywhere in seconds.
module.exports = {
  ...preset,
  displayName: 'accounts',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { ...preset.transform, ...nestEsm.transform },
  transformIgnorePatterns: nestEsm.transformIgnorePatterns,
};
