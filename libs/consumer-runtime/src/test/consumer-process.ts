// A consumer app run as a real process for the specs that need one (a SIGKILL, a SIGTERM, an
// exit code): `node -r @swc-node/register <entry> ...args`, its output collected.
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

export interface ConsumerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr, in the order they came. */
  readonly output: string[];
}

/** Only PATH is inherited: the process is configured by `env` alone, as a deployment configures it. */
export function startConsumerProcess(entry: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): ConsumerProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output };
}

/** Kills what is still running and waits for every process to be gone. */
export async function killConsumerProcesses(processes: readonly ConsumerProcess[]): Promise<void> {
  for (const { child } of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
}
