import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { testBrokers } from '@platform/testing';
import type { OpsCatalog } from '../catalog';

const root = join(__dirname, '..', '..', '..', '..');
const entry = join(root, 'apps/ops/src/test/ops-test-main.ts');

export interface OpsRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface OpsProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  readonly done: Promise<OpsRun>;
}

/**
 * Starts the CLI as its own process, as an SRE runs it. Asynchronous on purpose: a spec may run
 * consumers in its own process, which must keep fetching and heartbeating meanwhile.
 */
export function startOps(catalog: OpsCatalog, args: readonly string[], env: Record<string, string> = {}): OpsProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
    cwd: root,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'),
      KAFKA_BROKERS: testBrokers().join(','),
      OPS_OPERATOR: 'it-operator',
      OPS_TEST_CATALOG: JSON.stringify(catalog),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<OpsRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  return { child, stdout: () => stdout, done };
}

export function ops(catalog: OpsCatalog, args: readonly string[], env: Record<string, string> = {}): Promise<OpsRun> {
  return startOps(catalog, args, env).done;
}

/** Runs with --json and parses the one document it prints. */
export async function opsJson<T = Record<string, unknown>>(catalog: OpsCatalog, args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number | null; body: T; stderr: string }> {
  const run = await ops(catalog, ['--json', ...args], env);
  let body: T;
  try {
    body = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`ops ${args.join(' ')} printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { status: run.status, body, stderr: run.stderr };
}
