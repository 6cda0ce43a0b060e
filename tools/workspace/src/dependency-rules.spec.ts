import { spawnSync } from 'node:child_process';
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

  it('accepts an app importing a lib through its alias', async () => {
    const errors = await boundaryErrors('apps/ops/src/probe.ts', "import { Topic } from '@platform/contracts';\nexport const x = Topic;\n");
    expect(errors).toEqual([]);
  });
});
