// The dependency rules of docs/architecture.md, enforced: apps depend on libs, never on each
// other; contracts depends on nothing of ours; testing is reachable from tests only; benches use
// libs and run apps as processes, never import their internals.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

// A project uses its own scope and the shared one, so one bounded context cannot reach into
// another's code even through a lib that would otherwise be allowed.
const scopeConstraints = [
  { sourceTag: 'scope:accounts', onlyDependOnLibsWithTags: ['scope:accounts', 'scope:shared', 'scope:contracts'] },
  { sourceTag: 'scope:consumer', onlyDependOnLibsWithTags: ['scope:consumer', 'scope:shared', 'scope:contracts'] },
  { sourceTag: 'scope:ops', onlyDependOnLibsWithTags: ['scope:ops', 'scope:shared', 'scope:contracts'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'] },
  { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: [] },
];

module.exports = [
  { ignores: ['**/node_modules/**', '**/dist/**', 'tools/kafka/**', '.local/**', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // A bench loads the testing lib lazily so the child processes it measures do not carry
          // it; lazy loading splits nothing in Node, so a static import elsewhere is no mistake.
          checkDynamicDependenciesExceptions: ['@platform/testing'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            ...scopeConstraints,
          ],
        },
      ],
    },
  },
  {
    // Specs, and the test helpers a lib exposes through its separate `testing` entry, may use the
    // testing lib; production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', 'libs/*/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            ...scopeConstraints,
          ],
        },
      ],
    },
  },
];
