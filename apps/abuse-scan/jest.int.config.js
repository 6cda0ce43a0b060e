const preset = require('../../jest.preset.js');
// The wiring spec boots the Nest module on @platform/consumer-runtime; NestJS 12 is ESM-only and
// the runtime's own transform compiles it to CommonJS for Jest.
const nestEsm = require('../../libs/consumer-runtime/jest.nest-esm.js');

module.exports = {
  ...preset,
  displayName: 'abuse-scan:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
  transform: { ...preset.transform, ...nestEsm.transform },
  transformIgnorePatterns: nestEsm.transformIgnorePatterns,
};
