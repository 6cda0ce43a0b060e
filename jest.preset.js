// Shared by every project's jest.config.js: SWC for speed (with decorator metadata, which
// NestJS needs), and the tsconfig path aliases so specs import libs the way apps do.
const fs = require('node:fs');
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
// SWC rewrites the aliases at compile time too, so files jest compiles outside its module
// registry (global setup) resolve them like specs do.
const swcTs = { ...swcrc, jsc: { ...swcrc.jsc, baseUrl: __dirname, paths: compilerOptions.paths } };

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = path.join(__dirname, target);
}

// NestJS 12 ships as ES modules only. Node 20.19+ loads them through require(esm), but Jest's
// CommonJS runtime cannot, so those packages (and their ESM-only dependencies) are compiled to
// CommonJS by SWC when a spec touches them.
const esmOnlyPackages = ['@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit'];
const esmAlternation = esmOnlyPackages.map((name) => name.replace('/', '\\/')).join('|');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTs],
    [`^.+/node_modules/(${esmAlternation})/.+\\.js$`]: ['@swc/jest', { ...swcrc, jsc: { ...swcrc.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmAlternation})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
