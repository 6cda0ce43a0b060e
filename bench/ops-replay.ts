/**
 * How fast does `ops dlt replay` republish dead letters, next to how fast Kafka's own
 * ConsumerPerformance merely reads the same records on this machine?
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/ops-replay.ts \
 *     [--records 100000] [--partitions 6] [--runs 3] [--brokers 127.0.0.1:9092]
 *   (or: npx nx run bench:ops-replay -- --brokers 127.0.0.1:9092)
 *
 * 1. a throwaway consumer declaration gets its topics; its dead-letter topic is filled with N
 *    dead letters shaped as the consumer runtime writes them (an account.created event, the
 *    CloudEvents headers, the error headers with a stack of about 1 KB);
 * 2. the real CLI, as its own process, replays them unthrottled (`dlt replay --execute --json`):
 *    transactions, progress commits and all. Its rate is taken from first publish to last
 *    commit, and the wall time of the whole process is shown beside it;
 * 3. in the same run, Kafka's ConsumerPerformance reads the same N records from the same topic;
 * steps 2 and 3 are repeated --runs times (the replay with --restart), and the median of each is
 * printed with PASS/FAIL against 10,000 records/s; on a shared machine one run proves little.
 * Everything is dropped afterwards.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  ConsumerDeclaration,
  DeadLetterHeader,
  EventType,
  SOURCE_TOPICS,
  Topic,
  TopicName,
  createEnvelope,
  deadLetterTopicName,
  encodeEnvelope,
  retryTopicName,
} from '@platform/contracts';
import { ROOT, consumerPerformance, parseFlags } from './bench-support';

/**
 * The ops app's entry on a catalog given in OPS_TEST_CATALOG, the one its own specs run as a
 * process: the bench's throwaway consumer, never the platform's shared topics.
 */
const OPS_ON_CATALOG = 'apps/ops/src/test/ops-test-main.ts';

/** What the ops CLI reads from OPS_TEST_CATALOG (its OpsCatalog, as JSON). */
interface OpsCatalog {
  readonly consumers: readonly ConsumerDeclaration[];
  readonly auditTopic: string;
}

const TARGET_RECORDS_PER_SECOND = 10_000;

const DEFAULTS = {
  records: 100_000,
  partitions: SOURCE_TOPICS.find((t) => t.name === Topic.AccountLifecycle)!.partitions,
  runs: 3,
  brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
};

/** A dead letter as the runtime writes it for a signup the welcome mail could not be sent for. */
function deadLetter(consumer: ConsumerDeclaration, index: number) {
  const accountId = randomUUID();
  const record = encodeEnvelope(
    createEnvelope({
      type: EventType.AccountCreated,
      source: 'accounts',
      subject: accountId,
      data: {
        accountId,
        email: `bench-${accountId.slice(0, 8)}@example.com`,
        displayName: 'Bench User',
        locale: 'en-GB',
        plan: 'free',
        externalId: null,
        signupContext: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' },
        createdAt: new Date().toISOString(),
      },
    }),
  );
  const stack = ['SmtpRejectedError: 550 5.1.1 mailbox unavailable', ...Array.from({ length: 12 }, (_, i) => `    at frame${i} (/app/apps/welcome-email/src/welcome/welcome-mailer.ts:${40 + i}:17)`)].join('\n');
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DeadLetterHeader.ErrorClass]: 'PermanentError',
      [DeadLetterHeader.ErrorCode]: 'SMTP_REJECTED',
      [DeadLetterHeader.ErrorMessage]: '550 5.1.1 mailbox unavailable',
      [DeadLetterHeader.ErrorStack]: stack,
      [DeadLetterHeader.OriginalTopic]: consumer.topics[0],
      [DeadLetterHeader.OriginalPartition]: String(index % 6),
      [DeadLetterHeader.OriginalOffset]: String(index),
      [DeadLetterHeader.OriginalTimestamp]: String(Date.now()),
      [DeadLetterHeader.ConsumerGroup]: consumer.groupId,
      [DeadLetterHeader.Attempts]: '1',
      [DeadLetterHeader.FirstFailureTime]: new Date().toISOString(),
    },
  };
}

async function fill(kafka: Kafka, topic: string, consumer: ConsumerDeclaration, records: number): Promise<{ seconds: number; bytesPerRecord: number }> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  let bytesPerRecord = 0;
  try {
    for (let sent = 0; sent < records; sent += 500) {
      const messages = Array.from({ length: Math.min(500, records - sent) }, (_, i) => deadLetter(consumer, sent + i));
      if (sent === 0) {
        const m = messages[0];
        bytesPerRecord = m.key.length + m.value.length + Object.entries(m.headers).reduce((sum, [k, v]) => sum + k.length + String(v).length, 0);
      }
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return { seconds: (Date.now() - started) / 1000, bytesPerRecord };
}

interface CliReplay {
  published: number;
  publishRate: number;
  seconds: number;
  wallSeconds: number;
  /** User + system CPU of the CLI process, start-up included. */
  cpuSeconds: number;
}

/** The CLI as its own process, as an SRE would run it, its CPU time reported on exit. */
function replayWithCli(catalog: OpsCatalog, consumer: ConsumerDeclaration, brokers: string, restart: boolean): Promise<CliReplay> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const args = ['--json', 'dlt', 'replay', consumer.name, '--execute', ...(restart ? ['--restart'] : [])];
    const child = spawn(process.execPath, ['-r', '@swc-node/register', '-r', path.join(__dirname, 'report-cpu-on-exit.ts'), path.join(ROOT, OPS_ON_CATALOG), ...args], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json'), KAFKA_BROKERS: brokers, OPS_OPERATOR: 'bench', OPS_TEST_CATALOG: JSON.stringify(catalog) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (status !== 0) return reject(new Error(`ops dlt replay exited ${status}:\n${stdout}${stderr}`));
      const body = JSON.parse(stdout) as { counts: { published: number }; publishRate: number; seconds: number };
      const cpuSeconds = Number(/cpu-us (\d+)/.exec(stderr)?.[1] ?? NaN) / 1e6;
      resolve({ published: body.counts.published, publishRate: body.publishRate, seconds: body.seconds, wallSeconds, cpuSeconds });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function list(values: number[]): string {
  return values.map((v) => Math.round(v).toLocaleString('en-US')).join(' / ');
}

async function main(): Promise<void> {
  const options = parseFlags(process.argv.slice(2), DEFAULTS);
  const kafka = new Kafka({ clientId: 'ops-replay-bench', brokers: options.brokers.split(','), logLevel: logLevel.NOTHING });
  const id = randomBytes(4).toString('hex');
  const consumer: ConsumerDeclaration = { name: `bench-${id}`, groupId: `bench-ops-replay-${id}`, topics: [`bench.ops.${id}` as TopicName], retryDelaysMs: [5_000] };
  const catalog: OpsCatalog = { consumers: [consumer], auditTopic: `bench.ops.audit.${id}` };
  const dlt = deadLetterTopicName(consumer.topics[0], consumer.groupId);
  const retry = retryTopicName(consumer.topics[0], consumer.groupId, 1);
  const topics = [consumer.topics[0], retry, dlt];
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [...topics.map((topic) => ({ topic, numPartitions: options.partitions })), { topic: catalog.auditTopic, numPartitions: 1 }],
    });
    console.log(`filling ${dlt} with ${options.records} dead letters...`);
    const filled = await fill(kafka, dlt, consumer, options.records);
    console.log(`  ${filled.seconds.toFixed(1)} s; about ${filled.bytesPerRecord} B per record (key + value + headers)`);

    const replays: CliReplay[] = [];
    const perfs: Awaited<ReturnType<typeof consumerPerformance>>[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      console.log(`run ${run}/${options.runs}: ops dlt replay ${consumer.name} --execute${run > 1 ? ' --restart' : ''} (unthrottled, ${options.partitions} partitions)...`);
      const replay = await replayWithCli(catalog, consumer, options.brokers, run > 1);
      const onRetry = (await admin.fetchTopicOffsets(retry)).reduce((sum, o) => sum + Number(o.high), 0);
      if (replay.published !== options.records || onRetry < run * options.records) {
        throw new Error(`replay incomplete: ${replay.published} published, ${onRetry} offsets on ${retry}`);
      }
      console.log(`  ${Math.round(replay.publishRate).toLocaleString('en-US')} records/s`);
      console.log(`run ${run}/${options.runs}: Kafka's ConsumerPerformance over the same ${options.records} records...`);
      const perf = await consumerPerformance({ brokers: options.brokers, topic: dlt, records: options.records, groupPrefix: 'ops-bench-perf' });
      console.log(`  ${Math.round(perf.recordsPerSecond).toLocaleString('en-US')} records/s`);
      replays.push(replay);
      perfs.push(perf);
    }
    const rate = median(replays.map((r) => r.publishRate));
    const wall = median(replays.map((r) => r.wallSeconds));
    const perfRate = median(perfs.map((p) => p.recordsPerSecond));

    const row = (label: string, value: number, note: string) => `  ${label.padEnd(44)} ${Math.round(value).toLocaleString('en-US').padStart(9)} records/s   ${note}`;
    console.log('');
    console.log(`results, median of ${options.runs} run(s), ${options.records} dead letters of about ${filled.bytesPerRecord} B, ${options.partitions} partitions:`);
    console.log(row('ops dlt replay (read + publish + commit)', rate, `first publish to last commit; transactional, acks=all; runs: ${list(replays.map((r) => r.publishRate))}`));
    console.log(row('ops dlt replay, whole process', options.records / wall, `${wall.toFixed(2)} s incl. start-up, group join, plan commit`));
    console.log(row('Kafka ConsumerPerformance (Java, read only)', perfRate, `runs: ${list(perfs.map((p) => p.recordsPerSecond))}; fetch only: ${list(perfs.map((p) => p.fetchRecordsPerSecond))}`));
    const cpu = median(replays.map((r) => r.cpuSeconds));
    console.log(row('ops dlt replay per CPU second of the CLI', options.records / cpu, `${((cpu / options.records) * 1e6).toFixed(0)} µs of CPU per record, start-up included`));
    console.log(`  replay / ConsumerPerformance: ${((rate / perfRate) * 100).toFixed(0)}%; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    console.log(`  target ${TARGET_RECORDS_PER_SECOND.toLocaleString('en-US')} records/s: ${rate >= TARGET_RECORDS_PER_SECOND ? 'PASS' : 'FAIL'}`);
    if (rate < TARGET_RECORDS_PER_SECOND) process.exitCode = 1;
  } finally {
    await admin.deleteTopics({ topics: [...topics, catalog.auditTopic] }).catch(() => undefined);
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.includes(consumer.name) || g.startsWith('ops-bench-perf-'));
    await admin.deleteGroups(ours).catch(() => undefined);
    await admin.disconnect();
  }
}

main().catch((error) => {
  console.error(`ops-replay bench failed: ${(error as Error).message}`);
  process.exit(1);
});
