const preset = require('../../jest.preset.js');
// See jest.config.js: NestJS 12 is ESM-only and is compiled to CommonJS for Jest.
const nestEsm = require('../../libs/consumer-runtime/jest.nest-esm.js');

// Integration specs over the real PostgreSQL (a fresh database per file) and the real broker.
module.exports = {
  ...preset,
  displayName: 'accounts:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
  transform: { ...preset.transform, ...nestEsm.transform },
  transformIgnorePatterns: nestEsm.transformIgnorePatterns,
};
