import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// What a downstream team does, for real: in a copy of this workspace, run the generator through
// `nx g`, then the generated app's typecheck, lint, unit specs and integration specs over the
// real broker (KAFKA_BROKERS) and PostgreSQL, the deploy checks with it in docker-compose.yml and
// k8s/, and check contracts now derive its topics. The copy
// lives outside the repository so nothing here sees it, and shares node_modules by a symlink.

const ROOT = path.resolve(__dirname, '../../../..');
const NAME = 'audit-trail';
// What is not source: dependencies, build and tool output, the broker's jars and data.
const SKIPPED = new Set(['node_modules', '.git', '.local', '.nx', 'dist', 'coverage', 'reports', 'tools/kafka/lib', 'tools/kafka/target']);

function run(cwd: string, command: string, args: string[], timeoutMs = 300_000): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true', SWC_NODE_PROJECT: 'tsconfig.base.json' },
  });
  // Jest colours its summary even when piped; the checks read plain text.
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/\u001b\[[0-9;]*m/g, '');
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${output.slice(-6_000)}`);
  return output;
}

describe(`nx g @platform/generators:consumer ${NAME}, in a copy of the workspace`, () => {
  let copy: string;
  const nx = (...args: string[]) => run(copy, process.execPath, [path.join(copy, 'node_modules/nx/dist/bin/nx.js'), ...args]);

  beforeAll(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'platform-generator-'));
    cpSync(ROOT, copy, { recursive: true, filter: (source) => !SKIPPED.has(path.basename(source)) && !SKIPPED.has(path.relative(ROOT, source)) });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    nx('g', '@platform/generators:consumer', NAME, '--events', 'account.created.v1,account.closed.v1', '--no-interactive');
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('typechecks, with the contracts and local-stack files it edited', () => {
    // The generated app and every file the generator touched; what they import is checked with them.
    writeFileSync(
      path.join(copy, 'tsconfig.generated.json'),
      JSON.stringify({ extends: './tsconfig.base.json', include: [`apps/${NAME}/**/*.ts`, 'libs/contracts/src/**/*.ts', 'tools/dev/**/*.ts', 'tools/deploy/src/**/*.ts', 'apps/platform-e2e/src/**/*.ts'] }),
    );
    run(copy, process.execPath, [path.join(copy, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.generated.json', '--noEmit']);
  });

  it('lints clean, dependency rules included', () => {
    nx('run', `${NAME}:lint`);
  });

  it('passes its unit specs, and contracts derive its retry and dead-letter topics', () => {
    expect(nx('run', `${NAME}:test`)).toMatch(/Tests:\s+\d+ passed/);
    nx('run', 'contracts:test');
    writeFileSync(path.join(copy, 'print-topics.ts'), "import { allTopics } from '@platform/contracts';\nconsole.log(JSON.stringify(allTopics().map((t) => t.name)));\n");
    const topics = JSON.parse(run(copy, process.execPath, ['-r', '@swc-node/register', 'print-topics.ts']).trim().split('\n').pop()!) as string[];
    expect(topics).toEqual(expect.arrayContaining([`accounts.lifecycle.v1.${NAME}.retry.1`, `accounts.lifecycle.v1.${NAME}.retry.2`, `accounts.lifecycle.v1.${NAME}.dlt`]));
  });

  it('passes its integration specs over the real broker and PostgreSQL', () => {
    expect(nx('run', `${NAME}:int`)).toMatch(/Tests:\s+\d+ passed/);
  });

  it('is in the deploy files: docker-compose.yml and k8s/ pass the deploy checks with it, Kafka user and ACLs included', () => {
    expect(readFileSync(path.join(copy, 'k8s/base/kafka/users.yaml'), 'utf8')).toMatch(new RegExp(`\\n  name: ${NAME}\\n`));
    expect(nx('run', 'deploy:check')).toMatch(/Tests:\s+\d+ passed/);
  });

  it('is in the local stack', () => {
    const stack = readFileSync(path.join(copy, 'tools/dev/stack.ts'), 'utf8');
    expect(stack).toContain(`'${NAME}': 'apps/${NAME}/src/main.ts'`);
  });
});
