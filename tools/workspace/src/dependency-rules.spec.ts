import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The architecture's arrows are only real if the lint fails when code breaks them.
const root = join(__dirname, '..', '..', '..');

// The ESLint CLI in a child process: ESLint loads its config with a dynamic import, which
// jest's module sandbox does not allow.
async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const run = spawnSync(process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', join(root, file)], {
    cwd: root,
    input: source,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  // The Nx plugin may print a notice before the JSON report.
  const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf('[{'))) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

function projectTags(): { root: string; tags: string[] }[] {
  const roots = ['apps', 'libs', 'tools'].flatMap((dir) => readdirSync(join(root, dir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name)));
  return [...roots, 'bench'].flatMap((dir) => {
    try {
      return [{ root: dir, tags: (JSON.parse(readFileSync(join(root, dir, 'project.json'), 'utf8')) as { tags?: string[] }).tags ?? [] }];
    } catch {
      return [];
    }
  });
}

/** The scope constraints production code is linted with, read in a child (see boundaryErrors). */
function scopeConstraints(): Map<string, string[]> {
  const print = "const c = require('./eslint.config.js').flatMap((b) => b.rules?.['@nx/enforce-module-boundaries']?.[1]?.depConstraints ?? []); console.log(JSON.stringify(c))";
  const run = spawnSync(process.execPath, ['-e', print], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  const constraints = JSON.parse(run.stdout) as { sourceTag: string; onlyDependOnLibsWithTags: string[] }[];
  return new Map(constraints.filter((c) => c.sourceTag.startsWith('scope:')).map((c) => [c.sourceTag, c.onlyDependOnLibsWithTags]));
}

describe('dependency rules', () => {
  // The rule reads Nx's cached project graph and silently skips itself without one.
  beforeAll(() => {
    const graph = spawnSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (graph.status !== 0) throw new Error(`nx could not build the project graph:\n${graph.stdout}${graph.stderr}`);
  });

  it('fails the lint when an app imports another app', async () => {
    const errors = await boundaryErrors('apps/ops/src/probe.ts', "import { readOpsConfig } from '../../accounts-relay/src/config';\nexport const x = readOpsConfig;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fails the lint when a lib imports an app', async () => {
    const errors = await boundaryErrors('libs/outbox/src/probe.ts', "import { topicsApplyCommand } from '../../../apps/ops/src/commands/topics/apply';\nexport const x = topicsApplyCommand;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fails the lint when contracts imports another lib', async () => {
    const errors = await boundaryErrors('libs/contracts/src/probe.ts', "import { EnvReader } from '@platform/config';\nexport const x = EnvReader;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fails the lint when production code imports the testing lib', async () => {
    const errors = await boundaryErrors('apps/ops/src/probe.ts', "import { waitFor } from '@platform/testing';\nexport const x = waitFor;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fails the lint when a bench deep-imports an app', async () => {
    const errors = await boundaryErrors('bench/probe.ts', "import { insertAccountStatement } from '../apps/accounts/src/accounts/account.repository';\nexport const x = insertAccountStatement;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fails the lint when an app imports code of another scope', async () => {
    const errors = await boundaryErrors('apps/welcome-email/src/probe.ts', "import { newAccount } from '../../accounts/src/accounts/create-account.service';\nexport const x = newAccount;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('accepts a bench importing libs and testing libs through their aliases', async () => {
    const errors = await boundaryErrors('bench/probe.ts', "import { Topic } from '@platform/contracts';\nimport { freePort } from '@platform/testing';\nexport const x = [Topic, freePort];\n");
    expect(errors).toEqual([]);
  });

  // Nx checks tags only on imports of libs, and every lib is scope:shared or scope:contracts
  // today: what keeps the scopes apart when a scoped lib appears is that each scope in use has a
  // constraint naming only itself and the shared ones.
  it('constrains every scope a project is tagged with to itself and the shared scopes', () => {
    const tags = projectTags();
    const scopes = [...new Set(tags.flatMap((t) => t.tags).filter((tag) => tag.startsWith('scope:')))];
    const constraints = scopeConstraints();
    for (const scope of scopes) {
      const allowed = constraints.get(scope);
      expect({ scope, allowed }).toEqual({ scope, allowed: expect.any(Array) });
      const foreign = allowed!.filter((tag) => tag !== scope && tag !== 'scope:shared' && tag !== 'scope:contracts');
      expect({ scope, foreign }).toEqual({ scope, foreign: [] });
    }
    expect(tags.find((t) => t.root === 'bench')?.tags).toContain('type:bench');
  });

  it('accepts an app importing a lib through its alias', async () => {
    const errors = await boundaryErrors('apps/ops/src/probe.ts', "import { Topic } from '@platform/contracts';\nexport const x = Topic;\n");
    expect(errors).toEqual([]);
  });
});
