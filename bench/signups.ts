/**
 * How many signups per second does the accounts service take, next to what PostgreSQL itself
 * does with the same transaction on this machine?
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/signups.ts \
 *     [--connections 16] [--duration 20] [--warmup 5] [--pool-size 16] [--rate-limit 1000000] \
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--pgbench pgbench] \
 *     [--cpu-prof-dir DIR] [--floors=false]
 *   # or: npx nx run bench:signups
 *
 * 1. two fresh databases on the same server get the accounts migrations;
 * 2. an API key is made with the accounts CLI (apps/accounts/src/api-keys/api-keys.cli.ts) and
 *    sent as `Authorization: Bearer` (skipped, with a note, while that CLI does not exist);
 * 3. the accounts service runs as its own process (HTTP only, inbox off) and autocannon keeps
 *    `--connections` requests in flight against POST /v1/accounts, each with a new email:
 *    a warm-up, then the measured run; the database is then checked to hold an account for
 *    every 201 (plus at most the requests cut off in flight) and one outbox row per account;
 * 4. in the same run, pgbench with as many clients runs the statement the service commits per
 *    signup (the CTE from insertAccountStatement, inserting the account and its
 *    account.created.v1 outbox row at once), printed by the accounts app from its own code, as a
 *    prepared statement with bound parameters as the service sends it, with a value and headers
 *    of the service's exact sizes, on the second database;
 * then both are printed side by side with PASS/FAIL against the targets, with where the CPU
 * went per signup (service process, its PostgreSQL sessions, this load generator, from /proc),
 * and the databases dropped.
 *
 * No relay runs: this measures the write path; both outboxes only grow. The service's outbox
 * back-pressure limit is lifted for that reason (BACKPRESSURE_MAX_OUTBOX_BACKLOG); every other
 * setting is the service's default. --cpu-prof-dir writes a V8 CPU profile of the service.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createFreshDatabase, FreshDatabase } from '@platform/testing';
import {
  API_KEYS_CLI,
  SIGNUP_STATEMENT_CLI,
  runTs,
  startHttpServer,
  CpuSnapshot,
  count,
  cpuBetween,
  cpuSnapshot,
  createApiKey,
  migrateAccounts,
  ms,
  parseFlags,
  percentile,
  processCpuSeconds,
  startAccounts,
  verdict,
} from './bench-support';

const TARGET_SIGNUPS_PER_SECOND = 2_000;
const TARGET_SHARE_OF_PGBENCH = 0.5;

const DEFAULTS = {
  connections: 16,
  duration: 20,
  warmup: 5,
  // As many connections as requests in flight: none waits for the pool.
  poolSize: 16,
  // Far above what one client can send, so the bench measures the service, not its quota.
  rateLimit: 1_000_000,
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  pgbench: 'pgbench',
  cpuProfDir: '',
  /** Also measure the floors (the statement behind bare Nest + TypeORM on Express and on Fastify, and behind bare node:http + pg); --floors=false skips them. */
  floors: true,
};
type Options = typeof DEFAULTS;

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const SIGNUP = { displayName: 'Bench User', locale: 'en-GB', plan: 'free', signupContext: { ip: '203.0.113.7', userAgent: USER_AGENT } };

interface Figures {
  perSecond: number;
  transactions: number;
  seconds: number;
  p50: number;
  p99: number;
  notes: string;
}

interface MeasuredWindow {
  /** Called after the warm-up, right before the measured run. */
  start(): Promise<void>;
  /** Called right after it. */
  end(): void | Promise<void>;
}

async function signupsOverHttp(baseUrl: string, apiKey: string | undefined, options: Options, window: MeasuredWindow): Promise<Figures & { created: number }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  let created = 0;
  const run = (seconds: number, latencies?: number[]) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: baseUrl,
          connections: options.connections,
          duration: seconds,
          timeout: 10,
          requests: [
            {
              method: 'POST',
              path: '/v1/accounts',
              headers,
              setupRequest: (request) => ({ ...request, body: JSON.stringify({ email: `bench-${randomUUID()}@example.com`, ...SIGNUP }) }),
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      // autocannon's own histogram keeps whole milliseconds; these are the exact per-response times.
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode !== 201) return;
        created++;
        latencies?.push(responseTime);
      });
    });

  await run(options.warmup);
  const latencies: number[] = [];
  await window.start();
  const result = await run(options.duration, latencies);
  await window.end();
  latencies.sort((a, b) => a - b);
  const codes = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => code !== '201')
    .map(([code, stat]) => `${stat.count ?? 0}x${code}`);
  const problems = [...codes, ...(result.errors ? [`${result.errors} errors`] : []), ...(result.timeouts ? [`${result.timeouts} timeouts`] : [])];
  return {
    perSecond: latencies.length / result.duration,
    transactions: latencies.length,
    seconds: result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    notes: problems.length ? `NOT 201: ${problems.join(', ')}` : 'all 201',
    created,
  };
}

/**
 * The statements the service sends per signup (captured from node-postgres), with the values
 * it binds: ids and emails random per transaction, the rest of the same sizes.
 */
async function pgbenchScript(): Promise<{ script: string; variables: Record<string, string> }> {
  // The service's own statement for a signup of the bench's body (the accounts app prints it:
  // account row and account.created.v1, headers and all), its $n parameters turned into pgbench
  // expressions: ids and emails random per transaction (md5 of a random 63-bit number), times
  // from the server, everything else bound as the same values.
  const body = { ...SIGNUP, email: `bench-${randomUUID()}@example.com` };
  const { stdout } = await runTs(SIGNUP_STATEMENT_CLI, [JSON.stringify(body)], {});
  const statement = JSON.parse(stdout) as { sql: string; params: unknown[] };
  const id = `md5('a' || :r)::uuid`;
  const email = `'bench-' || md5('m' || :r)::uuid || '@example.com'`;
  const computed: Record<number, string> = {
    1: id, 2: email, 3: email, 12: 'now()', 13: 'now()',
    14: `md5('e' || :r)::uuid`, 16: `${id}::text`,
  };
  const variables: Record<string, string> = {};
  const sql = statement.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n);
    if (computed[index]) return computed[index];
    const value = statement.params[index - 1];
    if (value === null) return 'NULL';
    variables[`p${index}`] = typeof value === 'string' ? value : String(value);
    return `:p${index}`;
  });
  // pgbench reads one command per line.
  const script = `\\set r random(1, 9000000000000000000)\n${sql.replace(/\s*\n\s*/g, ' ')};\n`;
  return { script, variables };
}

async function signupsWithPgbench(databaseUrl: string, options: Options, window: MeasuredWindow): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'signups-bench-'));
  try {
    const { script, variables } = await pgbenchScript();
    const scriptFile = path.join(dir, 'signup.sql');
    writeFileSync(scriptFile, script);
    const url = new URL(databaseUrl);
    const base = [
      '-n', // no VACUUM of pgbench's own tables: there are none
      // Prepared, as the service sends it (queryPrepared): parsed and planned once per session.
      '-M', 'prepared',
      '-c', String(options.connections),
      '-j', String(Math.min(options.connections, os.cpus().length)),
      '-f', scriptFile,
      ...Object.entries(variables).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
      '-h', url.searchParams.get('host') ?? url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username) || 'postgres',
    ];
    const database = url.pathname.slice(1);
    const pgbench = (args: string[]) =>
      promisify(execFile)(options.pgbench, [...base, ...args, database], {
        maxBuffer: 16 * 1024 * 1024,
        timeout: (options.duration + options.warmup + 60) * 1000,
        env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
      });
    await pgbench(['-T', String(options.warmup)]);
    await window.start();
    const { stdout } = await pgbench(['-T', String(options.duration), '-l', '--log-prefix', path.join(dir, 'tx')]);
    await window.end();
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
    const failed = /number of failed transactions: (\d+)/.exec(stdout);
    if (!tps || !processed) throw new Error(`could not read pgbench's summary from:\n${stdout}`);
    // Per-transaction log: "client tx time_us script epoch epoch_us"; the third field is the latency.
    const latencies = readdirSync(dir)
      .filter((file) => file.startsWith('tx.'))
      .flatMap((file) => readFileSync(path.join(dir, file), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    return {
      perSecond: Number(tps[1]),
      transactions: Number(processed[1]),
      seconds: options.duration,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      notes: failed && failed[1] !== '0' ? `${failed[1]} FAILED transactions` : 'no failures',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withClient<T>(databaseUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function rowCounts(databaseUrl: string): Promise<{ accounts: number; outbox: number }> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ accounts: string; outbox: string }>(
      'SELECT (SELECT count(*) FROM accounts.accounts) AS accounts, (SELECT count(*) FROM accounts.outbox) AS outbox',
    );
    return { accounts: Number(rows[0].accounts), outbox: Number(rows[0].outbox) };
  });
}

/** The server processes serving a database's sessions right now (the service's pool, once warm). */
async function backendPids(databaseUrl: string): Promise<number[]> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return rows.map((row) => row.pid);
  });
}

/** Brackets a measured run with CPU snapshots of the named processes (pids resolved when it starts). */
function cpuWindow(groups: () => Promise<Record<string, number[]>>): MeasuredWindow & { result(): ReturnType<typeof cpuBetween> | undefined } {
  let pids: Record<string, number[]> = {};
  let before: CpuSnapshot | undefined;
  let after: CpuSnapshot | undefined;
  return {
    async start() {
      pids = await groups();
      before = cpuSnapshot(pids);
    },
    end() {
      after = cpuSnapshot(pids);
    },
    result: () => (before && after ? cpuBetween(before, after) : undefined),
  };
}

/**
 * pgbench's sessions come and go with its process, so their CPU is sampled while it runs (every
 * 200 ms) and each session's rate is extrapolated over the window: an estimate, good to a few %.
 */
function pgbenchCpuWindow(databaseUrl: string): MeasuredWindow & { result(): { postgres: number; machineBusy: number; seconds: number } | undefined } {
  const sessions = new Map<number, { firstAt: number; first: number; lastAt: number; last: number }>();
  let client: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let before: CpuSnapshot | undefined;
  let after: CpuSnapshot | undefined;
  const sample = async () => {
    const { rows } = await client!.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    const now = performance.now();
    for (const { pid } of rows) {
      const cpu = processCpuSeconds(pid);
      if (!Number.isFinite(cpu)) continue;
      const seen = sessions.get(pid);
      if (seen) Object.assign(seen, { lastAt: now, last: cpu });
      else sessions.set(pid, { firstAt: now, first: cpu, lastAt: now, last: cpu });
    }
  };
  return {
    async start() {
      client = new Client({ connectionString: databaseUrl });
      await client.connect();
      before = cpuSnapshot({});
      timer = setInterval(() => void sample().catch(() => undefined), 200);
    },
    async end() {
      clearInterval(timer);
      after = cpuSnapshot({});
      await client?.end();
    },
    result() {
      if (!before || !after) return undefined;
      const seconds = (after.at - before.at) / 1000;
      let postgres = 0;
      for (const s of sessions.values()) if (s.lastAt > s.firstAt) postgres += ((s.last - s.first) / (s.lastAt - s.firstAt)) * 1000 * seconds;
      return { postgres: sessions.size ? postgres : Number.NaN, machineBusy: after.machineBusy - before.machineBusy, seconds };
    },
  };
}

/** The floors: the same statement and response with less and less around it (apps/accounts/src/signup-floors/, run as processes). */
const FLOORS = [
  { name: 'signup-floor-nest-express', entry: 'apps/accounts/src/signup-floors/nest-signups.ts', env: { HTTP_ADAPTER: 'express' }, label: 'floor: bare Nest (Express) + TypeORM' },
  { name: 'signup-floor-nest-fastify', entry: 'apps/accounts/src/signup-floors/nest-signups.ts', env: { HTTP_ADAPTER: 'fastify' }, label: 'floor: bare Nest (Fastify) + TypeORM' },
  { name: 'signup-floor-node', entry: 'apps/accounts/src/signup-floors/node-http-signups.ts', env: {}, label: 'floor: bare node:http + pg' },
] as const;

interface FloorFigures extends Figures {
  readonly label: string;
  readonly cpuMicrosPerSignup: number;
}

/**
 * One floor server against the service's database (its accounts already counted), measured like
 * the service, without an API key: it checks none.
 */
async function measureFloor(floor: (typeof FLOORS)[number], databaseUrl: string, options: Options): Promise<FloorFigures> {
  const { process: server, baseUrl } = await startHttpServer(floor.name, floor.entry, { ...floor.env, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(options.poolSize) });
  try {
    const cpu = cpuWindow(async () => ({ service: [server.pid] }));
    const figures = await signupsOverHttp(baseUrl, undefined, options, cpu);
    const used = cpu.result();
    return { ...figures, label: floor.label, cpuMicrosPerSignup: used ? (used.processes.service / figures.transactions) * 1e6 : Number.NaN };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const options = parseFlags(process.argv.slice(2), DEFAULTS);
  const databases: FreshDatabase[] = [];
  let stopService: (() => Promise<unknown>) | undefined;
  try {
    const serviceDb = await createFreshDatabase('signups_bench', options.databaseUrl);
    databases.push(serviceDb);
    const pgbenchDb = await createFreshDatabase('signups_bench_pgbench', options.databaseUrl);
    databases.push(pgbenchDb);
    console.log(`migrating ${serviceDb.name} and ${pgbenchDb.name}...`);
    await Promise.all([migrateAccounts(serviceDb.url), migrateAccounts(pgbenchDb.url)]);

    const apiKey = await createApiKey(serviceDb.url, 'signups-bench', options.rateLimit);
    console.log(apiKey ? 'API key created with the accounts CLI' : `NOTE: ${API_KEYS_CLI} does not exist yet: requests carry no API key`);

    const nodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProfDir)}`] : [];
    const service = await startAccounts({
      databaseUrl: serviceDb.url,
      poolSize: options.poolSize,
      env: { BACKPRESSURE_MAX_OUTBOX_BACKLOG: '100000000' },
      nodeArgs,
    });
    stopService = () => service.process.stop();
    console.log(`signing up over HTTP: ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s (service pool ${options.poolSize})...`);
    const httpCpu = cpuWindow(async () => ({ service: [service.process.pid], postgres: await backendPids(serviceDb.url), generator: [process.pid] }));
    const http = await signupsOverHttp(service.baseUrl, apiKey, options, httpCpu);
    await service.process.stop();
    stopService = undefined;
    const rows = await rowCounts(serviceDb.url);
    // autocannon stops without waiting for the requests in flight, which may still commit: up to
    // one per connection per run more rows than 201s counted, never fewer, and always one event per account.
    if (rows.accounts !== rows.outbox || rows.accounts < http.created || rows.accounts > http.created + 2 * options.connections) {
      throw new Error(`${http.created} signups answered 201 but the database holds ${rows.accounts} accounts and ${rows.outbox} outbox rows`);
    }

    const floors: FloorFigures[] = [];
    for (const floor of options.floors ? FLOORS : []) {
      console.log(`${floor.label} (apps/accounts/src/signup-floors/), same load...`);
      floors.push(await measureFloor(floor, serviceDb.url, options));
    }

    console.log(`running pgbench with the same transaction: ${options.connections} clients, ${options.warmup} s warm-up + ${options.duration} s...`);
    const pgCpu = pgbenchCpuWindow(pgbenchDb.url);
    const pg = await signupsWithPgbench(pgbenchDb.url, options, pgCpu);

    const row = (label: string, f: Figures, unit: string) =>
      `  ${label.padEnd(40)} ${count(f.perSecond).padStart(7)} ${unit.padEnd(11)} p50 ${ms(f.p50, 2).padStart(9)}  p99 ${ms(f.p99, 2).padStart(9)}   ${count(f.transactions)} in ${f.seconds.toFixed(1)} s, ${f.notes}`;
    const share = http.perSecond / pg.perSecond;
    const cores = os.cpus().length;
    console.log('');
    console.log(`results, ${options.connections} concurrent, ${options.duration} s after a ${options.warmup} s warm-up, ${cores} cores:`);
    console.log(row('accounts service (POST /v1/accounts)', http, 'signups/s'));
    for (const floor of floors) console.log(row(floor.label, floor, 'signups/s'));
    console.log(row('pgbench (same statement, prepared)', pg, 'tx/s'));
    const used = httpCpu.result();
    if (used && Number.isFinite(used.machineBusy)) {
      const perSignup = (seconds: number) => `${count((seconds / http.transactions) * 1e6)} us`;
      console.log(
        `  CPU per signup over HTTP: service ${perSignup(used.processes.service)}, its PostgreSQL sessions ${perSignup(used.processes.postgres)}, ` +
          `load generator ${perSignup(used.processes.generator)}; machine ${pct(used.machineBusy / used.seconds / cores)} busy, ` +
          `${pct(Math.max(0, used.others) / used.seconds / cores)} of it by everything else (WAL writer, other processes)`,
      );
      // What the ratio target leaves the HTTP server: at half of pgbench's rate, the machine has
      // cores/rate of CPU per signup, and the database sessions and the load generator take theirs
      // first whatever the server is. A server costing more than this cannot reach the target here.
      const targetRate = TARGET_SHARE_OF_PGBENCH * pg.perSecond;
      const machinePerSignup = (cores * 1e6) / targetRate;
      const othersPerSignup = ((used.processes.postgres + used.processes.generator) / http.transactions) * 1e6;
      const serverBudget = machinePerSignup - othersPerSignup;
      console.log(
        `  at ${TARGET_SHARE_OF_PGBENCH * 100}% of pgbench (${count(targetRate)}/s) the machine has ${count(machinePerSignup)} us of CPU per signup; ` +
          `less the database sessions' and load generator's, ${count(Math.max(0, serverBudget))} us is left for the HTTP server`,
      );
    }
    const pgUsed = pgCpu.result();
    if (pgUsed && Number.isFinite(pgUsed.machineBusy)) {
      console.log(
        `  CPU per pgbench transaction: its PostgreSQL sessions ~${count((pgUsed.postgres / pg.transactions) * 1e6)} us; ` +
          `machine ${pct(pgUsed.machineBusy / pgUsed.seconds / cores)} busy`,
      );
    }
    for (const floor of floors) {
      console.log(`  ${floor.label}: ${count(floor.cpuMicrosPerSignup)} us of its CPU per signup, ${pct(floor.perSecond / pg.perSecond)} of pgbench`);
    }
    console.log(`  service / pgbench: ${pct(share)}${apiKey ? '' : '   (no API key sent: auth not in this checkout)'}`);
    console.log(`  target >= ${count(TARGET_SIGNUPS_PER_SECOND)} signups/s: ${verdict(http.perSecond >= TARGET_SIGNUPS_PER_SECOND)}`);
    console.log(`  target >= ${TARGET_SHARE_OF_PGBENCH * 100}% of pgbench: ${verdict(share >= TARGET_SHARE_OF_PGBENCH)}`);
    if (options.cpuProfDir) console.log(`  service CPU profile written to ${path.resolve(options.cpuProfDir)}`);
  } finally {
    await stopService?.();
    for (const database of databases) await database.drop();
  }
}

const pct = (share: number): string => `${(share * 100).toFixed(0)}%`;

main().catch((error) => {
  console.error(`signups bench failed: ${(error as Error).message}`);
  process.exit(1);
});
