// NestJS 12 ships as ES modules only. Node loads them through require(esm), but Jest's CommonJS
// runtime cannot, so specs that touch Nest have those packages compiled to CommonJS by SWC.
// Kept beside this project's configs rather than in jest.preset.js, which this project does not own.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '../../.swcrc'), 'utf8'));
const esmOnlyPackages = ['@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit'];
const alternation = esmOnlyPackages.map((name) => name.replace('/', '\\/')).join('|');

module.exports = {
  transform: {
    [`^.+/node_modules/(${alternation})/.+\\.js$`]: ['@swc/jest', { ...swcrc, jsc: { ...swcrc.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${alternation})/)`],
};
