/**
 * What the accounts benches share: a migrated database, the real service and relay as child
 * processes (their output kept in .local/bench/<name>.log), an API key made with the accounts
 * CLI, and percentiles. The processes are the ones `npx nx serve` runs, started with the same
 * variables their config.ts reads; nothing is built in-process, so the figures are those of
 * the deployed shape (separate processes talking over TCP).
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { EventEnvelope, EventType, createEnvelope, encodeEnvelope } from '@platform/contracts';
import { ROOT, waitForHealthy } from '@platform/dev-stack';
import { freePort, parsePrometheusText, sumOf } from '@platform/testing';

export { ROOT, waitForHealthy };
// The platform's one flag parser, for the benches' own imports.
export { parseFlags } from '@platform/config';
export { percentile } from '@platform/testing';

/** Where the started processes write their output; .local/ is ignored by git. */
export const BENCH_LOG_DIR = path.join(ROOT, '.local', 'bench');
export const API_KEYS_CLI = 'apps/accounts/src/api-keys/api-keys.cli.ts';
/** Prints the statement the accounts service commits for one sign-up (see signup-floors/). */
export const SIGNUP_STATEMENT_CLI = 'apps/accounts/src/signup-floors/signup-statement.cli.ts';

const TS_NODE = ['-r', '@swc-node/register'];
const TS_ENV = { SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json') };

/** Runs a TypeScript entry point to completion; rejects with its output when it exits non-zero. */
export async function runTs(entry: string, args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)(process.execPath, [...TS_NODE, path.join(ROOT, entry), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...TS_ENV, ...env },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    });
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${entry} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

/** `nx run accounts:migrate` against the given database. */
export async function migrateAccounts(databaseUrl: string): Promise<void> {
  await runTs('apps/accounts/src/migrate.ts', [], { DATABASE_URL: databaseUrl });
}

/**
 * A key with the scopes a signup client has, made with the accounts CLI exactly as an operator
 * would. Undefined when the CLI does not exist in this checkout (the service then needs no key).
 */
export async function createApiKey(databaseUrl: string, clientId: string, rateLimitPerSecond: number): Promise<string | undefined> {
  if (!existsSync(path.join(ROOT, API_KEYS_CLI))) return undefined;
  const args = ['create', '--client', clientId, '--scopes', 'accounts:write,accounts:read', '--rate-limit', String(rateLimitPerSecond), '--json'];
  const { stdout } = await runTs(API_KEYS_CLI, args, { DATABASE_URL: databaseUrl });
  // One JSON object on stdout; read from the end in case anything was logged before it.
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const parsed = JSON.parse(line) as { key?: unknown };
      if (typeof parsed.key === 'string') return parsed.key;
    } catch {
      // not the JSON line
    }
  }
  throw new Error(`${API_KEYS_CLI} create printed no key:\n${stdout}`);
}

export interface StartedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  alive(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts a TypeScript entry point with its output appended to .local/bench/<name>.log.
 * `nodeArgs` go before the entry, e.g. ['--cpu-prof', '--cpu-prof-dir=...'] to profile it.
 */
export function startTs(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): StartedProcess {
  mkdirSync(BENCH_LOG_DIR, { recursive: true });
  const logFile = path.join(BENCH_LOG_DIR, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...TS_NODE, path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...TS_ENV, ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
  });
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    alive: () => exitCode === undefined,
    async stop(graceMs = 15_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * An HTTP server started with startTs on a free port (given as HOST and PORT); resolves once its
 * /health/ready answers, and stops it if it never does.
 */
export async function startHttpServer(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ process: StartedProcess; baseUrl: string }> {
  const port = await freePort();
  const server = startTs(name, entry, { ...env, HOST: '127.0.0.1', PORT: String(port) }, nodeArgs);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(`${baseUrl}/health/ready`, `${name} (log: ${server.logFile})`, 60_000, server.alive);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { process: server, baseUrl };
}

/** The accounts service over HTTP only (no inbox, so no consumer group); resolves once /health/ready answers. */
export function startAccounts(options: {
  databaseUrl: string;
  poolSize: number;
  brokers?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<{ process: StartedProcess; baseUrl: string }> {
  return startHttpServer(
    'accounts',
    'apps/accounts/src/main.ts',
    {
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      ACCOUNTS_INBOX_ENABLED: 'false',
      ...(options.brokers ? { KAFKA_BROKERS: options.brokers } : {}),
      ...options.env,
    },
    options.nodeArgs,
  );
}

/** The accounts-relay process; resolves once it holds the leader lock of its database. */
export async function startRelay(options: { databaseUrl: string; brokers: string }): Promise<{ process: StartedProcess; metricsUrl: string }> {
  const port = await freePort();
  const metricsPort = await freePort();
  const relay = startTs('accounts-relay', 'apps/accounts-relay/src/main.ts', {
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: options.brokers,
    HOST: '127.0.0.1',
    RELAY_HEALTH_PORT: String(port),
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
  });
  const readyUrl = `http://127.0.0.1:${port}/health/ready`;
  try {
    await waitForHealthy(readyUrl, `accounts-relay (log: ${relay.logFile})`, 60_000, relay.alive);
    const deadline = Date.now() + 15_000;
    while (((await (await fetch(readyUrl)).json()) as { role?: string }).role !== 'active') {
      if (Date.now() > deadline) throw new Error(`accounts-relay did not become active (log: ${relay.logFile})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await relay.stop();
    throw error;
  }
  return { process: relay, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

export interface RelayMetricsSnapshot {
  backlogEvents: number;
  publishedEvents: number;
  publishedBatches: number;
}

/** The relay's own counters, from its Prometheus endpoint. */
export async function relayMetrics(metricsUrl: string): Promise<RelayMetricsSnapshot> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`relay metrics answered ${response.status}`);
  const samples = parsePrometheusText(await response.text());
  const schema = { outbox_schema: 'accounts' };
  return {
    backlogEvents: sumOf(samples, 'outbox_backlog', schema),
    publishedEvents: sumOf(samples, 'outbox_relay_published_total', schema),
    publishedBatches: sumOf(samples, 'outbox_relay_batches_total', schema),
  };
}

export const ms = (value: number, digits = 1): string => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a');
export const count = (value: number): string => Math.round(value).toLocaleString('en-US');
export const verdict = (met: boolean): string => (met ? 'PASS' : 'FAIL');

/** Runs one of Kafka's Java tools (tools/kafka/lib) to completion; its stdout. */
async function kafkaTool(className: string, args: string[]): Promise<string> {
  const classpath = `${path.join(ROOT, 'tools/kafka/lib')}/*`;
  const { stdout } = await promisify(execFile)('java', ['-cp', classpath, `org.apache.kafka.tools.${className}`, ...args], { maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  return stdout;
}

/** Kafka's ProducerPerformance: `records` values of `recordSize` bytes, acks=all, unthrottled. */
export async function producerPerformance(options: { brokers: string; topic: string; records: number; recordSize: number }): Promise<{ recordsPerSecond: number; mbPerSecond: number; avgLatencyMs: number; summary: string }> {
  const stdout = await kafkaTool('ProducerPerformance', [
    '--topic', options.topic,
    '--num-records', String(options.records),
    '--record-size', String(options.recordSize),
    '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${options.brokers}`, 'acks=all',
  ]);
  // Last line: "N records sent, R records/sec (M MB/sec), L ms avg latency, ..."
  const summary = stdout.trim().split('\n').reverse().find((line) => line.includes('records sent')) ?? '';
  const match = /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency/.exec(summary);
  if (!match) throw new Error(`could not read ProducerPerformance's summary from:\n${stdout}`);
  return { recordsPerSecond: Number(match[1]), mbPerSecond: Number(match[2]), avgLatencyMs: Number(match[3]), summary };
}

/**
 * Kafka's ConsumerPerformance reading `records` from `topic` in a fresh group `<groupPrefix>-<random>`.
 * The overall rates include the group join; the fetch rates exclude it.
 */
export async function consumerPerformance(options: { brokers: string; topic: string; records: number; groupPrefix: string }): Promise<{ recordsPerSecond: number; mbPerSecond: number; fetchRecordsPerSecond: number; fetchMbPerSecond: number; line: string }> {
  const stdout = await kafkaTool('ConsumerPerformance', [
    '--bootstrap-server', options.brokers,
    '--topic', options.topic,
    '--messages', String(options.records),
    '--group', `${options.groupPrefix}-${randomBytes(4).toString('hex')}`,
    '--timeout', '60000',
  ]);
  // Header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then one line of figures.
  const line = stdout.trim().split('\n').reverse().find((l) => /^\d{4}-/.test(l.trim())) ?? '';
  const cells = line.split(',').map((c) => c.trim());
  if (cells.length < 10) throw new Error(`could not read ConsumerPerformance's figures from:\n${stdout}`);
  return { mbPerSecond: Number(cells[3]), recordsPerSecond: Number(cells[5]), fetchMbPerSecond: Number(cells[8]), fetchRecordsPerSecond: Number(cells[9]), line };
}

/**
 * An account.created event whose encoded value is ~`size` bytes (padding in the user agent);
 * with `traceparent`, carrying the trace header the relay writes for a traced signup.
 */
export function accountCreatedOfSize(size: number, options: { traceparent?: boolean } = {}): EventEnvelope<typeof EventType.AccountCreated> {
  const accountId = randomUUID();
  const make = (userAgent: string) =>
    createEnvelope({
      type: EventType.AccountCreated,
      source: 'accounts',
      subject: accountId,
      ...(options.traceparent ? { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` } : {}),
      data: {
        accountId,
        email: `bench-${accountId.slice(0, 8)}@example.com`,
        displayName: 'Bench User',
        locale: 'en-GB',
        plan: 'free',
        externalId: null,
        signupContext: { ip: '203.0.113.7', userAgent },
        createdAt: new Date().toISOString(),
      },
    });
  const base = encodeEnvelope(make('')).value.length;
  return make('x'.repeat(Math.max(0, size - base)));
}

/**
 * Where the CPU went, from /proc (Linux; elsewhere every figure is NaN). A process's figure
 * covers all its threads; `machineBusy` is every core's busy time, whoever used it.
 */
export interface CpuSnapshot {
  readonly at: number;
  /** CPU seconds per pid, per named group. */
  readonly processes: Record<string, Record<number, number>>;
  readonly machineBusy: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of a process; NaN when it is gone or there is no /proc. */
export function processCpuSeconds(pid: number): number {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return Number.NaN;
  // The command name may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

export function machineBusySeconds(): number {
  const line = readProc('/proc/stat')?.split('\n')[0];
  if (!line) return Number.NaN;
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** `groups` names sets of pids, e.g. { service: [pid], postgres: backendPids }. */
export function cpuSnapshot(groups: Record<string, readonly number[]>): CpuSnapshot {
  const processes: Record<string, Record<number, number>> = {};
  for (const [name, pids] of Object.entries(groups)) processes[name] = Object.fromEntries(pids.map((pid) => [pid, processCpuSeconds(pid)]));
  return { at: performance.now(), processes, machineBusy: machineBusySeconds() };
}

/**
 * CPU seconds per group between two snapshots (over the pids alive at both: a pooled
 * connection closed in between is left out), the machine's busy seconds, and what the groups
 * did not account for.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): { seconds: number; processes: Record<string, number>; machineBusy: number; others: number } {
  const processes: Record<string, number> = {};
  for (const [name, pids] of Object.entries(after.processes)) {
    let sum = 0;
    for (const [pid, seconds] of Object.entries(pids)) {
      const earlier = before.processes[name]?.[Number(pid)];
      if (Number.isFinite(seconds) && earlier !== undefined && Number.isFinite(earlier)) sum += seconds - earlier;
    }
    processes[name] = sum;
  }
  const machineBusy = after.machineBusy - before.machineBusy;
  const accounted = Object.values(processes).reduce((sum, value) => sum + value, 0);
  return { seconds: (after.at - before.at) / 1000, processes, machineBusy, others: machineBusy - accounted };
}
