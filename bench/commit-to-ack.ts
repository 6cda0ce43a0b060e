/**
 * How long after a signup commits is its account.created.v1 acknowledged by Kafka, at a steady
 * 500 signups/s?
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/commit-to-ack.ts \
 *     [--rate 500] [--duration 25] [--warmup 5] [--pool-size 10] [--rate-limit 1000000] \
 *     [--brokers 127.0.0.1:9092] [--database-url postgres://postgres@127.0.0.1:5432/postgres] \
 *     [--commit-times=false]
 *   # or: npx nx run bench:commit-to-ack --brokers=127.0.0.1:9092
 *
 * 1. a fresh database gets the accounts migrations, the bench's commit clock (below) and an API
 *    key (accounts CLI; skipped with a note while the CLI does not exist); the lifecycle topic is
 *    created if the broker lacks it;
 * 2. the accounts service (HTTP only) and the accounts-relay run as their own processes, with
 *    their production settings, and a kafkajs consumer (fresh group) reads the topic;
 * 3. an open-loop generator sends POST /v1/accounts on a fixed schedule (`--rate` per second,
 *    request i at start + i/rate, whether or not earlier ones were answered): a warm-up, then
 *    the measured window;
 * 4. every 201 of the window is matched, by its account id (the record key), to the moment its
 *    record reached the consumer; the run waits until all have arrived (or 15 s);
 * then the latency percentiles are printed against the target, with the CPU each part used, and
 * the database, the consumer group and (when this run created it) the topic are removed.
 *
 * What is measured. Kafka acknowledges a batch (acks=all) when the in-sync replicas have it,
 * which is also when it becomes readable; the consumer sees it after that, so "record at the
 * consumer" is never before the ack. The start is the commit, taken by a bench-only deferred
 * trigger inside COMMIT (installCommitClock), on PostgreSQL's clock mapped onto this process's
 * performance.now() (clockOffset). The target is judged on
 *
 *   record at consumer - commit            >=  commit -> Kafka ack   (an upper bound: + the consumer's fetch)
 *
 * and, as a cross-check from the client's side (the commit lies between send and response):
 *
 *   record at consumer - request sent      >=  the above (adds the request's time before COMMIT)
 *   record at consumer - response received      may be negative: the relay can publish before
 *                                               the 201 reaches the client
 *
 * With --commit-times=false there is no trigger and the verdict uses the request-sent bound.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { SOURCE_TOPICS, Topic } from '@platform/contracts';
import { createFreshDatabase, ensureTopics, FreshDatabase, OpenLoopOutcome, openLoop } from '@platform/testing';
import {
  API_KEYS_CLI,
  CpuSnapshot,
  StartedProcess,
  count,
  cpuBetween,
  cpuSnapshot,
  createApiKey,
  migrateAccounts,
  ms,
  parseFlags,
  percentile,
  relayMetrics,
  startAccounts,
  startRelay,
  verdict,
} from './bench-support';

const TARGET_P99_MS = 25;
const WAIT_FOR_STRAGGLERS_MS = 15_000;

const DEFAULTS = {
  rate: 500,
  duration: 25,
  warmup: 5,
  poolSize: 10,
  rateLimit: 1_000_000,
  brokers: '127.0.0.1:9092',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  // Record each outbox row's commit time with a bench-only deferred trigger (see the header).
  commitTimes: true,
};
type Options = typeof DEFAULTS;

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

interface Sent extends OpenLoopOutcome {
  readonly accountId?: string;
  readonly measured: boolean;
}

/** Open loop (openLoop): request i leaves at start + i/rate; a slow answer never delays the next request. */
async function generate(
  baseUrl: string,
  apiKey: string | undefined,
  options: Options,
  window: { start(): void; end(): void },
): Promise<{ sent: Sent[]; errors: number }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const total = Math.round(options.rate * (options.warmup + options.duration));
  const warmupCount = Math.round(options.rate * options.warmup);
  const outcomes = await openLoop({
    baseUrl,
    rate: options.rate,
    count: total,
    maxSockets: 256,
    timeoutMs: 30_000,
    keepHeaders: ['location'],
    onSend: (index) => {
      if (index === warmupCount) window.start();
      if (index === total - 1) window.end();
    },
    request: () => ({
      method: 'POST',
      path: '/v1/accounts',
      headers,
      body: JSON.stringify({
        email: `bench-${randomUUID()}@example.com`,
        displayName: 'Bench User',
        locale: 'en-GB',
        plan: 'free',
        signupContext: { ip: '203.0.113.7', userAgent: USER_AGENT },
      }),
    }),
  });
  const sent = outcomes.map((outcome) => ({
    ...outcome,
    accountId: /\/v1\/accounts\/([0-9a-f-]{36})$/.exec(outcome.headers?.location ?? '')?.[1],
    measured: outcome.index >= warmupCount,
  }));
  return { sent, errors: outcomes.filter((outcome) => outcome.error !== undefined).length };
}

const SCHEMA = 'accounts';

/**
 * Bench-only, in this run's database: a deferred constraint trigger runs inside COMMIT, after
 * every statement of the transaction and just before the commit record is written, and notes
 * clock_timestamp() for each outbox row in an unlogged side table that the relay never reads.
 * What follows it inside COMMIT (the outbox NOTIFY's queue lock, the WAL flush) is counted as
 * publish latency, so "record at consumer - this time" can only over-state commit -> ack.
 */
async function installCommitClock(client: Client): Promise<void> {
  await client.query(`CREATE UNLOGGED TABLE ${SCHEMA}.bench_commit_times (message_key text NOT NULL, at timestamptz NOT NULL)`);
  await client.query(`CREATE FUNCTION ${SCHEMA}.bench_note_commit_time() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO ${SCHEMA}.bench_commit_times VALUES (NEW.message_key, clock_timestamp()); RETURN NULL; END $$`);
  await client.query(`CREATE CONSTRAINT TRIGGER bench_commit_time AFTER INSERT ON ${SCHEMA}.outbox
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${SCHEMA}.bench_note_commit_time()`);
}

/**
 * PostgreSQL's clock minus this process's performance.now(), in ms: the best of a few round
 * trips, read at the midpoint (error at most half a round trip, a fraction of a millisecond).
 */
async function clockOffset(client: Client): Promise<{ at: number; offsetMs: number }> {
  let best = { at: 0, offsetMs: 0, rtt: Infinity };
  for (let i = 0; i < 7; i++) {
    const sent = performance.now();
    const { rows } = await client.query<{ ms: string }>('SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms');
    const received = performance.now();
    if (received - sent < best.rtt) best = { at: (sent + received) / 2, offsetMs: Number(rows[0].ms) - (sent + received) / 2, rtt: received - sent };
  }
  return best;
}

/** Commit times on this process's clock, the offset interpolated between a reading before and one after the run. */
async function commitTimes(client: Client, before: { at: number; offsetMs: number }, after: { at: number; offsetMs: number }): Promise<Map<string, number>> {
  const { rows } = await client.query<{ message_key: string; ms: string }>(
    `SELECT message_key, extract(epoch FROM at) * 1000 AS ms FROM ${SCHEMA}.bench_commit_times`,
  );
  const slope = after.at > before.at ? (after.offsetMs - before.offsetMs) / (after.at - before.at) : 0;
  const times = new Map<string, number>();
  for (const row of rows) {
    const pgMs = Number(row.ms);
    const local = pgMs - before.offsetMs; // first guess, then correct for any drift between the readings
    times.set(row.message_key, pgMs - (before.offsetMs + slope * (local - before.at)));
  }
  return times;
}

function summary(values: number[]): { p50: number; p90: number; p99: number; p999: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

async function main(): Promise<void> {
  const options = parseFlags(process.argv.slice(2), DEFAULTS);
  const topic = Topic.AccountLifecycle;
  const kafka = new Kafka({ clientId: 'commit-to-ack-bench', brokers: options.brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const groupId = `commit-to-ack-bench-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  const started: StartedProcess[] = [];
  let database: FreshDatabase | undefined;
  let createdTopic = false;
  let consumerStarted = false;
  let db: Client | undefined;
  try {
    await admin.connect().catch((error: Error) => {
      throw new Error(`cannot reach Kafka at ${options.brokers} (${error.message}); start one: KAFKA_PORT=... bash tools/kafka/kafka.sh start`);
    });
    createdTopic = !(await admin.listTopics()).includes(topic);
    await ensureTopics(admin, SOURCE_TOPICS.filter((t) => t.name === topic));

    database = await createFreshDatabase('commit_to_ack_bench', options.databaseUrl);
    console.log(`migrating ${database.name}...`);
    await migrateAccounts(database.url);
    db = new Client({ connectionString: database.url });
    await db.connect();
    if (options.commitTimes) await installCommitClock(db);
    const apiKey = await createApiKey(database.url, 'commit-to-ack-bench', options.rateLimit);
    console.log(apiKey ? 'API key created with the accounts CLI' : `NOTE: ${API_KEYS_CLI} does not exist yet: requests carry no API key`);

    const service = await startAccounts({ databaseUrl: database.url, poolSize: options.poolSize, brokers: options.brokers });
    started.push(service.process);
    const relay = await startRelay({ databaseUrl: database.url, brokers: options.brokers });
    started.push(relay.process);

    // When each record (by account id, its key) first reached this consumer.
    const seenAt = new Map<string, number>();
    let joined!: () => void;
    const groupJoined = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const message of batch.messages) {
          const key = message.key?.toString();
          if (key && !seenAt.has(key)) seenAt.set(key, now);
        }
      },
    });
    consumerStarted = true;
    await groupJoined;

    console.log(`open-loop signups at ${options.rate}/s: ${options.warmup} s warm-up + ${options.duration} s measured (service pool ${options.poolSize})...`);
    const offsetBefore = await clockOffset(db);
    // Where the CPU went during the measured window: the pipeline's processes and the whole machine.
    const pidsOf = async (): Promise<Record<string, number[]>> => ({
      service: [service.process.pid],
      relay: [relay.process.pid],
      postgres: (
        await db!.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        )
      ).rows.map((row) => row.pid),
      'bench (generator + consumer)': [process.pid],
    });
    let cpuStart: Promise<{ pids: Record<string, number[]>; snapshot: CpuSnapshot }> | undefined;
    let cpuEnd: CpuSnapshot | undefined;
    const window = {
      start: () => {
        cpuStart = pidsOf().then((pids) => ({ pids, snapshot: cpuSnapshot(pids) }));
      },
      end: () => {
        // Taken a moment after the last request is sent; the pids are known by then.
        void cpuStart?.then(({ pids }) => (cpuEnd = cpuSnapshot(pids)));
      },
    };
    const { sent, errors } = await generate(service.baseUrl, apiKey, options, window);
    const measured = sent.filter((s) => s.measured);
    const created = measured.filter((s) => s.status === 201 && s.accountId);
    const deadline = Date.now() + WAIT_FOR_STRAGGLERS_MS;
    while (created.some((s) => !seenAt.has(s.accountId!)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const metrics = await relayMetrics(relay.metricsUrl);
    const cpu = cpuStart && cpuEnd ? cpuBetween((await cpuStart).snapshot, cpuEnd) : undefined;
    const committedAt = options.commitTimes ? await commitTimes(db, offsetBefore, await clockOffset(db)) : new Map<string, number>();

    const seen = created.filter((s) => seenAt.has(s.accountId!));
    const missing = created.length - seen.length;
    const upper = summary(seen.map((s) => seenAt.get(s.accountId!)! - s.sentAt));
    const timed = seen.filter((s) => committedAt.has(s.accountId!));
    const fromCommit = summary(timed.map((s) => seenAt.get(s.accountId!)! - committedAt.get(s.accountId!)!));
    const lower = summary(seen.map((s) => seenAt.get(s.accountId!)! - s.respondedAt!));
    const response = summary(created.map((s) => s.respondedAt! - s.scheduledAt));
    const lag = summary(measured.map((s) => s.sentAt - s.scheduledAt));
    const others = new Map<string, number>();
    for (const s of measured) if (s.status !== 201) others.set(String(s.status ?? 'no answer'), (others.get(String(s.status ?? 'no answer')) ?? 0) + 1);
    const windowSeconds = (measured[measured.length - 1].scheduledAt - measured[0].scheduledAt) / 1000;

    const row = (label: string, s: ReturnType<typeof summary>) =>
      `  ${label.padEnd(44)} p50 ${ms(s.p50, 2).padStart(9)}  p90 ${ms(s.p90, 2).padStart(9)}  p99 ${ms(s.p99, 2).padStart(9)}  p99.9 ${ms(s.p999, 2).padStart(9)}  max ${ms(s.max, 2).padStart(9)}`;
    console.log('');
    console.log(
      `results, ${count(measured.length)} signups offered at ${options.rate}/s over ${windowSeconds.toFixed(1)} s: ${count(created.length)} answered 201` +
        (others.size ? `, others: ${[...others].map(([code, n]) => `${n}x${code}`).join(', ')}` : '') +
        (errors ? `, ${errors} connection errors` : '') +
        `; ${count(seen.length)} seen on ${topic}, ${missing} not within ${WAIT_FOR_STRAGGLERS_MS / 1000} s`,
    );
    if (timed.length) console.log(row('commit -> record at consumer', fromCommit));
    console.log(row('request sent -> record at consumer', upper));
    console.log(row('response received -> record at consumer', lower));
    console.log(row('HTTP response time (from scheduled send)', response));
    console.log(row('generator lag (sent - scheduled)', lag));
    if (cpu && Number.isFinite(cpu.machineBusy)) {
      const cores = os.cpus().length;
      const perSignup = Object.entries(cpu.processes).map(([name, seconds]) => `${name} ${count((seconds / measured.length) * 1e6)} us`);
      console.log(
        `  CPU per offered signup: ${perSignup.join(', ')}; machine ${((cpu.machineBusy / cpu.seconds / cores) * 100).toFixed(0)}% busy of ${cores} cores, ` +
          `${((Math.max(0, cpu.others) / cpu.seconds / cores) * 100).toFixed(0)}% by everything else (Kafka broker, WAL writer, other processes)`,
      );
    }
    console.log(`  relay: ${count(metrics.publishedEvents)} events in ${count(metrics.publishedBatches)} batches (${(metrics.publishedEvents / Math.max(1, metrics.publishedBatches)).toFixed(1)} per batch), backlog now ${metrics.backlogEvents}`);
    // The commit-clock figure when there is one for every event; else the looser request-sent bound.
    const bound = timed.length === seen.length && timed.length > 0 ? { p99: fromCommit.p99, from: 'commit' } : { p99: upper.p99, from: 'request sent' };
    const met = bound.p99 < TARGET_P99_MS && missing === 0 && created.length > 0;
    console.log(`  commit -> Kafka ack p99 <= ${ms(bound.p99, 2)} (upper bound, from ${bound.from} to the record at the consumer); target < ${TARGET_P99_MS} ms: ${verdict(met)}${missing ? ' (events missing)' : ''}`);
    if (!apiKey) console.log('  (no API key sent: auth not in this checkout)');
  } finally {
    if (consumerStarted) await consumer.stop().catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
    for (const process of started.reverse()) await process.stop();
    await db?.end().catch(() => undefined);
    await database?.drop();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    if (createdTopic) await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(`commit-to-ack bench failed: ${(error as Error).message}`);
  process.exit(1);
});
