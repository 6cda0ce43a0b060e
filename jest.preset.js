// Shared by every project's jest.config.js: SWC for speed (with decorator metadata, which
// NestJS needs), and the tsconfig path aliases so specs import libs the way apps do.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '.swcrc'), 'utf8'))] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
