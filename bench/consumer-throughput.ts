/**
 * How fast does a consumer on the runtime take events off a topic, next to raw kafkajs and to
 * Kafka's own consumer on this machine?
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/consumer-throughput.ts \
 *     [--events 200000] [--record-size 512] [--partitions 6] [--brokers 127.0.0.1:9092] \
 *     [--concurrency 3] [--fetch-max-bytes-per-partition 262144] [--fetch-max-bytes 1048576] \
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--profile <dir>]
 *   (or: npx nx run bench:consumer-throughput -- --brokers 127.0.0.1:9092)
 *
 * 1. a fresh topic with as many partitions as accounts.lifecycle.v1 gets N account.created.v1
 *    events whose values are ~record-size bytes, keyed by account id, with the CloudEvents and
 *    trace headers the relay writes;
 * 2. raw kafkajs: a consumer in a fresh group reads them with `eachBatch`, resolving each offset
 *    and doing nothing else, with the runtime's fetch settings (same partitions, same
 *    concurrency), in a child process of its own;
 * 3. the runtime: a Nest microservice on KafkaEventServer with a no-op handler and everything on
 *    (decoding, schema validation, per-key parking checks, the PostgreSQL inbox in a fresh
 *    database, hooks counting like a metrics exporter), in a child process of its own;
 * 4. Kafka's ConsumerPerformance (Java) reads the same topic in another fresh group;
 * then the figures are printed side by side with the targets, and the database and topic dropped.
 *
 * Rates are from the first record to the last (group joins excluded); memory is the child's peak
 * resident set size, sampled every 100 ms. The children run JavaScript compiled ahead of time into
 * .local/bench-build (as a deployed consumer would), not through @swc-node/register, whose
 * compiler alone adds some 80 MB to a process.
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport } from '@nestjs/microservices';
import { Batch, Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import {
  DEFAULT_FETCH_MAX_BYTES,
  DEFAULT_FETCH_MAX_BYTES_PER_PARTITION,
  DEFAULT_FETCH_MAX_WAIT_MS,
  DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  EventHandler,
  KafkaEventServer,
} from '@platform/consumer-runtime';
import type { PlatformLogger } from '@platform/observability';
import {
  ConsumerDeclaration,
  EncodedRecord,
  EventEnvelope,
  assertEventData,
  decodeRecord,
  stringHeaders,
  EventType,
  SOURCE_TOPICS,
  Topic,
  TopicName,
  deadLetterTopicName,
  encodeEnvelope,
  retryTopicName,
} from '@platform/contracts';
import { nodeOptions } from '@platform/deploy';

const TARGET_SHARE_OF_RAW = 0.8;
const TARGET_EVENTS_PER_SECOND = 20_000;
const TARGET_MAX_RSS_MB = 150;
/** Issue 21: the runtime with everything on, through the Nest adapter, at least as fast as the stock Nest transport. */
const TARGET_NEST_ADAPTER_OVER_STOCK = 1.0;
/** Issue 21: with a batch handler and no Nest, at least 1.5x the stock transport. */
const TARGET_BATCH_OVER_STOCK = 1.5;
const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, '.local', 'bench-build');
const INBOX_SCHEMA = 'bench_inbox';

const DEFAULTS = {
  events: 200_000,
  recordSize: 512,
  partitions: SOURCE_TOPICS.find((t) => t.name === Topic.AccountLifecycle)!.partitions,
  /** Partitions processed at the same time, by both Node consumers; the runtime's default unless given. */
  concurrency: DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  /** Fetch sizes of both Node consumers; the runtime's defaults unless given. */
  fetchMaxBytesPerPartition: DEFAULT_FETCH_MAX_BYTES_PER_PARTITION,
  fetchMaxBytes: DEFAULT_FETCH_MAX_BYTES,
  brokers: '127.0.0.1:9092',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  /** Where the consumer children write V8 CPU profiles (node --cpu-prof), when given. */
  profile: '',
};
type Options = typeof DEFAULTS;

/** What the parent tells a child to consume. */
interface RunSpec {
  readonly role: 'raw' | 'floor' | 'runtime' | 'nest-stock';
  readonly topic: string;
  readonly events: number;
  readonly concurrency: number;
  readonly fetchMaxBytesPerPartition: number;
  readonly fetchMaxBytes: number;
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly declaration: ConsumerDeclaration;
  /** Where the runtime child serves its Prometheus metrics, as a deployed consumer does. */
  readonly metricsPort: number;
}

interface RunResult {
  readonly records: number;
  readonly seconds: number;
  /** CPU time of the consumer process between the first and the last record, per record. */
  readonly cpuMicrosPerRecord: number;
  readonly peakRssMb: number;
  /** Peak V8 heap reserved, and peak Buffer memory, of the same samples: where the resident set goes. */
  readonly peakHeapMb: number;
  readonly peakBuffersMb: number;
  readonly startupSeconds: number;
}

async function fillTopic(kafka: Kafka, topic: string, options: Options, eventOfSize: (size: number) => EventEnvelope): Promise<{ seconds: number; valueBytes: number; headerBytes: number }> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = process.hrtime.bigint();
  const chunk = 2_000;
  const inFlight = 4;
  let valueBytes = 0;
  let headerBytes = 0;
  try {
    for (let written = 0; written < options.events; ) {
      const sends: Promise<unknown>[] = [];
      for (let s = 0; s < inFlight && written < options.events; s += 1) {
        const count = Math.min(chunk, options.events - written);
        const messages = Array.from({ length: count }, () => encodeEnvelope(eventOfSize(options.recordSize)));
        if (written === 0) {
          valueBytes = messages[0].value.length;
          headerBytes = Object.entries(messages[0].headers).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
        }
        written += count;
        sends.push(producer.send({ topic, acks: 1, messages }));
      }
      await Promise.all(sends);
    }
  } finally {
    await producer.disconnect();
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, valueBytes, headerBytes };
}

/** Counts records from the first to the last and samples the resident set size meanwhile. */
class Meter {
  private readonly began = process.hrtime.bigint();
  private first?: bigint;
  private last?: bigint;
  private cpuAtFirst?: NodeJS.CpuUsage;
  private cpuSpent?: NodeJS.CpuUsage;
  private records = 0;
  private peakRss = process.memoryUsage.rss();
  private peakHeap = 0;
  private peakBuffers = 0;
  private readonly sampler = setInterval(() => {
    const usage = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, usage.rss);
    this.peakHeap = Math.max(this.peakHeap, usage.heapTotal);
    this.peakBuffers = Math.max(this.peakBuffers, usage.arrayBuffers);
  }, 100);
  private done?: () => void;
  readonly finished = new Promise<void>((resolve) => (this.done = resolve));

  constructor(private readonly expected: number) {}

  count(n: number): void {
    const now = process.hrtime.bigint();
    if (this.first === undefined) {
      this.first = now;
      this.cpuAtFirst = process.cpuUsage();
    }
    this.records += n;
    if (this.records >= this.expected && this.last === undefined) {
      this.last = now;
      this.cpuSpent = process.cpuUsage(this.cpuAtFirst);
      this.done?.();
    }
  }

  result(): RunResult {
    clearInterval(this.sampler);
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    return {
      records: this.records,
      seconds: Number((this.last ?? process.hrtime.bigint()) - (this.first ?? this.began)) / 1e9,
      cpuMicrosPerRecord: this.cpuSpent ? (this.cpuSpent.user + this.cpuSpent.system) / this.records : NaN,
      startupSeconds: Number((this.first ?? this.began) - this.began) / 1e9,
      peakRssMb: this.peakRss / 1024 / 1024,
      peakHeapMb: this.peakHeap / 1024 / 1024,
      peakBuffersMb: this.peakBuffers / 1024 / 1024,
    };
  }
}

/**
 * CPU per event of decoding and validating alone, in a hot loop over records as kafkajs hands
 * them over (Buffers): no Kafka, no database, warm JIT. What the runtime cannot do without.
 */
function decodeAndValidateMicros(records: readonly EncodedRecord[]): number {
  const messages = records.map((r) => ({
    key: Buffer.from(r.key),
    value: Buffer.from(r.value),
    headers: Object.fromEntries(Object.entries(r.headers).map(([name, value]) => [name, Buffer.from(value)])),
  }));
  const decodeAll = () => {
    for (const message of messages) {
      const event = decodeRecord({ key: message.key, value: message.value, headers: stringHeaders(message.headers) });
      assertEventData(event.type, event.data);
    }
  };
  for (let i = 0; i < 20; i += 1) decodeAll();
  const rounds = 200;
  const before = process.cpuUsage();
  for (let i = 0; i < rounds; i += 1) decodeAll();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / (rounds * messages.length);
}

/** A plain kafkajs consumer in a fresh group with the runtime's fetch settings, until it has seen every event. */
async function consumeWithKafkajs(spec: RunSpec, onBatch: (batch: Batch, groupId: string) => Promise<void>): Promise<RunResult> {
  const kafka = new Kafka({ clientId: `bench-${spec.role}`, brokers: spec.brokers, logLevel: logLevel.NOTHING });
  const groupId = `bench-${spec.role}-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: DEFAULT_FETCH_MAX_WAIT_MS,
    maxBytesPerPartition: spec.fetchMaxBytesPerPartition,
    maxBytes: spec.fetchMaxBytes,
  });
  const meter = new Meter(spec.events);
  await consumer.connect();
  await consumer.subscribe({ topics: [spec.topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: spec.concurrency,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
      await onBatch(batch, groupId);
      for (const message of batch.messages) resolveOffset(message.offset);
      meter.count(batch.messages.length);
      await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });
  await meter.finished;
  const result = meter.result();
  await consumer.disconnect();
  return result;
}

/** Raw kafkajs: each offset resolved, nothing else done. */
function consumeRaw(spec: RunSpec): Promise<RunResult> {
  return consumeWithKafkajs(spec, async () => undefined);
}

const FLOOR_SCHEMA = 'bench_floor';

/**
 * The least a consumer can do and still meet the runtime's contract for a clean record: decode
 * the envelope, validate its data against the type's schema, and record the batch's event ids
 * in PostgreSQL (one autocommitted INSERT per batch) before committing the offsets. No Nest, no
 * retry paths, no ordering checks, no metrics, no trace context. It bounds what any runtime
 * written in Node could reach here, next to the raw figure that does none of it.
 */
async function consumeFloor(spec: RunSpec): Promise<RunResult> {
  const pool = new Pool({ connectionString: spec.databaseUrl, max: spec.concurrency });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${FLOOR_SCHEMA};
    CREATE TABLE IF NOT EXISTS ${FLOOR_SCHEMA}.processed_events (consumer_group text NOT NULL, event_id text NOT NULL, event_type text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer_group, event_id))`);
  try {
    return await consumeWithKafkajs(spec, async (batch, groupId) => {
      const ids: string[] = [];
      const types: string[] = [];
      for (const message of batch.messages) {
        const event = decodeRecord({ key: message.key, value: message.value, headers: stringHeaders(message.headers) });
        assertEventData(event.type, event.data);
        ids.push(event.id);
        types.push(event.type);
      }
      await pool.query(
        `INSERT INTO ${FLOOR_SCHEMA}.processed_events (consumer_group, event_id, event_type) SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [groupId, ids, types],
      );
    });
  } finally {
    await pool.end();
  }
}

async function consumeWithRuntime(spec: RunSpec): Promise<RunResult> {
  @Controller()
  class NoopController {
    @EventHandler(EventType.AccountCreated)
    async onCreated(@Payload() _event: EventEnvelope<typeof EventType.AccountCreated>): Promise<void> {
      // Nothing: the figure is the runtime's own cost per event.
    }
  }
  @Module({ controllers: [NoopController] })
  class BenchModule {}

  // As a consumer app does before anything else: the SDK with its Prometheus exporter, so the
  // runtime's counters and histogram record for real (tracing stays off, the apps' default).
  const { startTelemetry, shutdownTelemetry } = await import('@platform/observability');
  startTelemetry('consumer-bench', { OTEL_EXPORTER_PROMETHEUS_PORT: String(spec.metricsPort) });
  const meter = new Meter(spec.events);
  const counters = { processed: 0, failed: 0, retried: 0, deadLettered: 0, ignored: 0, latencyMs: 0 };
  const quiet: PlatformLogger = { debug: () => undefined, info: () => undefined, warn: (msg) => console.error(msg), error: (msg, fields) => console.error(msg, fields) };
  const pool = new Pool({ connectionString: spec.databaseUrl, max: 10 });
  const server = new KafkaEventServer({
    consumer: spec.declaration,
    kafka: { clientId: 'bench-runtime', brokers: spec.brokers },
    inbox: { pool, schema: INBOX_SCHEMA },
    partitionsConsumedConcurrently: spec.concurrency,
    fetchMaxBytesPerPartition: spec.fetchMaxBytesPerPartition,
    fetchMaxBytes: spec.fetchMaxBytes,
    logger: quiet,
    // What a metrics exporter does per record: bump counters, add up latency.
    hooks: {
      onProcessed: (info) => {
        counters.processed += 1;
        counters.latencyMs += info.durationMs;
        meter.count(1);
      },
      onFailed: () => (counters.failed += 1),
      onRetried: () => (counters.retried += 1),
      onDeadLettered: () => (counters.deadLettered += 1),
      onIgnored: () => (counters.ignored += 1),
    },
  });
  const app = await NestFactory.createMicroservice(BenchModule, { strategy: server, logger: false });
  await app.listen();
  await meter.finished;
  const result = meter.result();
  await app.close();
  await pool.end();
  await shutdownTelemetry();
  if (counters.failed + counters.deadLettered + counters.ignored > 0) throw new Error(`runtime run was not clean: ${JSON.stringify(counters)}`);
  return result;
}

/**
 * The peer a team would otherwise pick: NestJS's own Kafka transport (`Transport.KAFKA`, its
 * ServerKafka) with a no-op `@EventPattern` handler and its default consumer settings, in a fresh
 * group. It JSON-parses each value and turns headers into strings; it decodes no envelope,
 * validates nothing, keeps no inbox and has no retry or dead-letter path.
 */
async function consumeWithStockNest(spec: RunSpec): Promise<RunResult> {
  const meter = new Meter(spec.events);
  @Controller()
  class NoopController {
    @EventPattern(spec.topic)
    onRecord(@Payload() value: unknown): void {
      if (typeof value !== 'object' || value === null) throw new Error('the stock transport did not parse the value as JSON');
      meter.count(1);
    }
  }
  @Module({ controllers: [NoopController] })
  class StockModule {}
  const app = await NestFactory.createMicroservice(StockModule, {
    transport: Transport.KAFKA,
    options: {
      client: { clientId: 'bench-nest-stock', brokers: spec.brokers, logLevel: logLevel.NOTHING },
      consumer: { groupId: `bench-nest-stock-${randomBytes(4).toString('hex')}` },
      subscribe: { fromBeginning: true },
    },
    logger: false,
  });
  await app.listen();
  await meter.finished;
  const result = meter.result();
  await app.close();
  return result;
}

/**
 * Compiles this file and the libs to CommonJS under BUILD_DIR, keeping the tree's layout so the
 * path aliases (rewritten to relative paths, as jest.preset.js has SWC do) and node_modules
 * resolve as they do from the sources. Returns the compiled bench file.
 */
function compileForChildren(): string {
  // Loaded only here: the children must not carry the compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as typeof import('@swc/core');
  const swcrc = JSON.parse(readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));
  const { compilerOptions } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8'));
  const sources = [__filename, path.join(ROOT, 'tools/deploy/src/index.ts'), path.join(ROOT, 'tools/deploy/src/deploy-apps.ts'), ...tsFilesUnder(path.join(ROOT, 'libs'))];
  for (const source of sources) {
    const { code } = swc.transformFileSync(source, { ...swcrc, sourceMaps: false, jsc: { ...swcrc.jsc, baseUrl: ROOT, paths: compilerOptions.paths } });
    const target = path.join(BUILD_DIR, path.relative(ROOT, source)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  return path.join(BUILD_DIR, path.relative(ROOT, __filename)).replace(/\.ts$/, '.js');
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Runs one consumer in a child process so its memory and CPU are its own. */
function runChild(entry: string, spec: RunSpec, profileDir?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${spec.role}.cpuprofile`] : [];
    // Both children run with the consumers' deployed NODE_OPTIONS (their heap cap), not this shell's.
    const env = { ...process.env, NODE_OPTIONS: nodeOptions('welcome-email') };
    const child: ChildProcess = fork(entry, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: profile, env });
    let result: RunResult | undefined;
    child.on('message', (message: { result?: RunResult; error?: string }) => {
      if (message.error) reject(new Error(`${spec.role} consumer failed: ${message.error}`));
      result = message.result;
    });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${spec.role} consumer exited ${code} without a result`))));
    child.send(spec);
  });
}

async function childMain(): Promise<void> {
  const spec = await new Promise<RunSpec>((resolve) => process.once('message', (m) => resolve(m as RunSpec)));
  try {
    const consume = { raw: consumeRaw, floor: consumeFloor, runtime: consumeWithRuntime, 'nest-stock': consumeWithStockNest }[spec.role];
    const result = await consume(spec);
    process.send!({ result });
  } catch (error) {
    process.send!({ error: (error as Error).stack ?? String(error) });
  }
  process.disconnect?.();
  process.exit(0);
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the children load this file too and have no use for them.
  const { accountCreatedOfSize, consumerPerformance, parseFlags } = await import('./bench-support');
  const { createFreshDatabase, freePort } = await import('@platform/testing');
  const options = parseFlags(process.argv.slice(2), DEFAULTS);
  const profileDir = options.profile ? path.resolve(options.profile) : undefined;
  const brokers = options.brokers.split(',');
  const kafka = new Kafka({ clientId: 'consumer-bench', brokers, logLevel: logLevel.NOTHING });
  const id = randomBytes(4).toString('hex');
  const topic = `consumer-bench-${id}`;
  const declaration: ConsumerDeclaration = { name: `consumer-bench-${id}`, groupId: `consumer-bench-${id}`, topics: [topic as TopicName], retryDelaysMs: [5_000, 30_000] };
  const runtimeTopics = [...declaration.retryDelaysMs.map((_, i) => retryTopicName(topic, declaration.groupId, i + 1)), deadLetterTopicName(topic, declaration.groupId)];
  const admin = kafka.admin();
  await admin.connect();
  const database = await createFreshDatabase('consumer_bench', options.databaseUrl);
  try {
    await admin.createTopics({ topics: [topic, ...runtimeTopics].map((t) => ({ topic: t, numPartitions: options.partitions })), waitForLeaders: true });

    console.log(`filling ${topic} (${options.partitions} partitions) with ${options.events} events...`);
    const fill = await fillTopic(kafka, topic, options, (size) => accountCreatedOfSize(size, { traceparent: true }));
    console.log(`  ${fill.seconds.toFixed(1)} s; value ${fill.valueBytes} B, headers ${fill.headerBytes} B, key 36 B per event`);

    const entry = compileForChildren();
    const spec = {
      topic,
      events: options.events,
      concurrency: options.concurrency,
      fetchMaxBytesPerPartition: options.fetchMaxBytesPerPartition,
      fetchMaxBytes: options.fetchMaxBytes,
      brokers,
      databaseUrl: database.url,
      declaration,
      metricsPort: await freePort(),
    };
    const fetch = `fetch ${options.fetchMaxBytesPerPartition} B/partition, ${options.fetchMaxBytes} B in all`;
    console.log(`raw kafkajs eachBatch (no-op; ${options.concurrency} partitions at a time, ${fetch})...`);
    const raw = await runChild(entry, { ...spec, role: 'raw' }, profileDir);
    console.log('floor: kafkajs eachBatch + decode + validate + one inbox INSERT per batch, no framework...');
    const floor = await runChild(entry, { ...spec, role: 'floor' }, profileDir);
    const floorProcessed = Number((await queryOne(database.url, `SELECT count(*) AS n FROM ${FLOOR_SCHEMA}.processed_events`)).n);
    if (floorProcessed !== options.events) throw new Error(`floor inbox holds ${floorProcessed} events, expected ${options.events}`);
    console.log(`consumer runtime (no-op handler; decode, validate, park check, inbox, metrics), NODE_OPTIONS="${nodeOptions('welcome-email')}"...`);
    const runtime = await runChild(entry, { ...spec, role: 'runtime' }, profileDir);
    const processed = Number((await queryOne(database.url, `SELECT count(*) AS n FROM ${INBOX_SCHEMA}.processed_events`)).n);
    if (processed !== options.events) throw new Error(`runtime inbox holds ${processed} events, expected ${options.events}`);
    console.log('stock NestJS Kafka transport (Transport.KAFKA, no-op @EventPattern, default settings)...');
    const stock = await runChild(entry, { ...spec, role: 'nest-stock' }, profileDir);
    console.log("Kafka's ConsumerPerformance (Java)...");
    const perf = await consumerPerformance({ brokers: options.brokers, topic, records: options.events, groupPrefix: 'bench-java' });

    const bytesPerEvent = fill.valueBytes + fill.headerBytes + 36;
    const rate = (r: RunResult) => r.records / r.seconds;
    const mb = (r: RunResult) => ((r.records * bytesPerEvent) / r.seconds / 1024 / 1024).toFixed(2);
    const row = (label: string, perSecond: number, mbPerSecond: string, note: string) =>
      `  ${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} events/s ${mbPerSecond.padStart(8)} MB/s   ${note}`;
    const share = rate(runtime) / rate(raw);
    const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');
    console.log('');
    console.log(`results, ${options.events} records of ${fill.valueBytes} B value + ${fill.headerBytes} B headers, ${options.partitions} partitions:`);
    const note = (r: RunResult) => `${r.seconds.toFixed(2)} s, ${r.cpuMicrosPerRecord.toFixed(1)} µs CPU/event, peak RSS ${r.peakRssMb.toFixed(0)} MB (heap ${r.peakHeapMb.toFixed(0)}, buffers ${r.peakBuffersMb.toFixed(0)})`;
    console.log(row('consumer runtime (whole pipeline)', rate(runtime), mb(runtime), note(runtime)));
    console.log(row('stock NestJS Kafka transport', rate(stock), mb(stock), note(stock)));
    console.log(row('floor (decode, validate, inbox)', rate(floor), mb(floor), note(floor)));
    console.log(row('raw kafkajs eachBatch (no-op)', rate(raw), mb(raw), note(raw)));
    // fetch.nMsg.sec excludes the group join, as the Node figures do.
    console.log(row('Kafka ConsumerPerformance (Java)', perf.fetchRecordsPerSecond, perf.fetchMbPerSecond.toFixed(2), 'fetch rate, join excluded'));
    console.log('');
    const overStock = rate(runtime) / rate(stock);
    console.log(`  runtime (Nest adapter, everything on) / stock Nest transport: ${overStock.toFixed(2)}x   (target >= ${TARGET_NEST_ADAPTER_OVER_STOCK.toFixed(1)}x: ${verdict(overStock >= TARGET_NEST_ADAPTER_OVER_STOCK)})`);
    console.log(`  runtime with a batch handler, no Nest / stock: not measured, the runtime has no batch handlers yet   (target >= ${TARGET_BATCH_OVER_STOCK.toFixed(1)}x)`);
    console.log(`  floor / stock Nest transport: ${(rate(floor) / rate(stock)).toFixed(2)}x   (what the runtime's own contract leaves reachable)`);
    console.log(`  runtime / raw kafkajs: ${(share * 100).toFixed(0)}%   (target >= ${TARGET_SHARE_OF_RAW * 100}%: ${verdict(share >= TARGET_SHARE_OF_RAW)})`);
    console.log(`  runtime rate: ${Math.round(rate(runtime)).toLocaleString('en-US')} events/s   (target >= ${TARGET_EVENTS_PER_SECOND.toLocaleString('en-US')}: ${verdict(rate(runtime) >= TARGET_EVENTS_PER_SECOND)})`);
    console.log(`  runtime peak RSS: ${runtime.peakRssMb.toFixed(0)} MB   (target < ${TARGET_MAX_RSS_MB} MB: ${verdict(runtime.peakRssMb < TARGET_MAX_RSS_MB)})`);
    console.log(`  runtime / ConsumerPerformance: ${((rate(runtime) / perf.fetchRecordsPerSecond) * 100).toFixed(0)}%`);
    console.log(`  floor / raw kafkajs: ${((rate(floor) / rate(raw)) * 100).toFixed(0)}%   (runtime / floor: ${((rate(runtime) / rate(floor)) * 100).toFixed(0)}%)`);
    // At the raw consumer's own rate of CPU use, 80% of its rate leaves this much per event for everything else.
    const budget = raw.cpuMicrosPerRecord / TARGET_SHARE_OF_RAW - raw.cpuMicrosPerRecord;
    const decodeMicros = decodeAndValidateMicros(Array.from({ length: 1_000 }, () => encodeEnvelope(accountCreatedOfSize(options.recordSize, { traceparent: true }))));
    console.log(`  decode + validate alone, hot loop: ${decodeMicros.toFixed(2)} µs/event; ${TARGET_SHARE_OF_RAW * 100}% of raw leaves ${budget.toFixed(2)} µs/event above raw's own CPU`);
  } finally {
    await database.drop();
    await admin.deleteTopics({ topics: [topic, ...runtimeTopics] }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function queryOne(url: string, sql: string): Promise<Record<string, string>> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return (await pool.query(sql)).rows[0];
  } finally {
    await pool.end();
  }
}

if (process.argv.includes('--child')) {
  void childMain();
} else {
  main().catch((error) => {
    console.error(`consumer-throughput bench failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
