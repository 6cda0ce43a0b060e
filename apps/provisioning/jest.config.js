const preset = require('../../jest.preset.js');
// Specs reach @platform/consumer-runtime (deterministicEventId), whose index pulls in NestJS 12,
// which is ESM-only; the runtime's own transform compiles those packages to CommonJS for Jest.
const nestEsm = require('../../libs/consumer-runtime/jest.nest-esm.js');

module.exports = {
  ...preset,
  displayName: 'provisioning',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { ...preset.transform, ...nestEsm.transform },
  transformIgnorePatterns: nestEsm.transformIgnorePatterns,
};
