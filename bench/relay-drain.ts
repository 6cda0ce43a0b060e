/**
 * How fast does the outbox relay drain a backlog, next to what Kafka itself takes from a
 * producer on this machine?
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/relay-drain.ts \
 *     [--events 100000] [--record-size 512] [--batch-size 1000] [--partitions 6] [--brokers 127.0.0.1:9092] \
 *     [--database-url postgres://postgres@127.0.0.1:5432/postgres]
 *
 * 1. a fresh database gets an outbox of N events whose Kafka values are ~record-size bytes
 *    (written with writeToOutbox, exactly as the accounts service writes them);
 * 2. an OutboxRelay with the production settings drains it to a fresh topic, timed from start
 *    to the last delete, and the topic's end offsets are checked to hold N records;
 * 3. in the same run, Kafka's own ProducerPerformance sends N records of the same size with
 *    acks=all to another fresh topic with as many partitions;
 * then both figures are printed side by side, the database and topics dropped.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { SOURCE_TOPICS, Topic, encodeEnvelope } from '@platform/contracts';
import { OutboxRelay, RELAY_DEFAULTS, createOutboxTableSql, writeToOutbox } from '@platform/outbox';
import { createFreshDatabase } from '@platform/testing';
import { accountCreatedOfSize, parseFlags, producerPerformance } from './bench-support';

const TARGET_EVENTS_PER_SECOND = 15_000;
const SCHEMA = 'accounts';

const DEFAULTS = {
  events: 100_000,
  recordSize: 512,
  batchSize: RELAY_DEFAULTS.batchSize,
  partitions: SOURCE_TOPICS.find((t) => t.name === Topic.AccountLifecycle)!.partitions,
  brokers: '127.0.0.1:9092',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
};
type Options = typeof DEFAULTS;

async function fillOutbox(pool: Pool, topic: string, options: Options): Promise<{ ms: number; headerBytes: number; valueBytes: number }> {
  const started = Date.now();
  const chunk = 1000;
  let headerBytes = 0;
  let valueBytes = 0;
  for (let written = 0; written < options.events; written += chunk) {
    const events = Array.from({ length: Math.min(chunk, options.events - written) }, () => accountCreatedOfSize(options.recordSize));
    if (written === 0) {
      const record = encodeEnvelope(events[0]);
      valueBytes = record.value.length;
      headerBytes = Object.entries(record.headers).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await writeToOutbox(client, SCHEMA, topic, events);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  return { ms: Date.now() - started, headerBytes, valueBytes };
}

async function topicRecordCount(kafka: Kafka, topic: string): Promise<number> {
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const offsets = await kafkaAdmin.fetchTopicOffsets(topic);
  await kafkaAdmin.disconnect();
  return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
}

async function drainWithRelay(url: string, kafka: Kafka, options: Options): Promise<number> {
  const relay = new OutboxRelay({ connectionString: url, schema: SCHEMA, kafka, batchSize: options.batchSize });
  const started = process.hrtime.bigint();
  const running = relay.run();
  while (relay.status().publishedEvents < options.events) {
    if (relay.status().kafka === 'down') throw new Error('Kafka refused the relay; is the broker up (bash tools/kafka/kafka.sh start)?');
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await relay.stop();
  await running;
  return seconds;
}

async function main(): Promise<void> {
  const options = parseFlags(process.argv.slice(2), DEFAULTS);
  const kafka = new Kafka({ clientId: 'relay-bench', brokers: options.brokers.split(','), logLevel: logLevel.NOTHING });
  const relayTopic = `relay-bench-${randomBytes(4).toString('hex')}`;
  const perfTopic = `${relayTopic}-perf`;
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const database = await createFreshDatabase('relay_bench', options.databaseUrl);
  const url = database.url;
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await pool.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const sql of createOutboxTableSql(SCHEMA)) await pool.query(sql);
    await kafkaAdmin.createTopics({
      topics: [relayTopic, perfTopic].map((topic) => ({ topic, numPartitions: options.partitions })),
      waitForLeaders: true,
    });

    console.log(`filling the outbox of ${database.name} with ${options.events} events...`);
    const fill = await fillOutbox(pool, relayTopic, options);
    await pool.query(`VACUUM ANALYZE ${SCHEMA}.outbox`);
    console.log(`  ${fill.ms} ms; value ${fill.valueBytes} B, headers ${fill.headerBytes} B, key 36 B per event`);

    console.log(`draining with the relay (batch ${options.batchSize}, acks=all, idempotent, ${options.partitions} partitions)...`);
    const relaySeconds = await drainWithRelay(url, kafka, options);
    const onTopic = await topicRecordCount(kafka, relayTopic);
    const left = Number((await pool.query(`SELECT count(*) AS n FROM ${SCHEMA}.outbox`)).rows[0].n);
    if (onTopic < options.events || left !== 0) throw new Error(`relay drain incomplete: ${onTopic} on the topic, ${left} left in the outbox`);
    const relayRate = options.events / relaySeconds;

    console.log(`running Kafka's ProducerPerformance (${options.events} x ${options.recordSize} B, acks=all)...`);
    const perf = await producerPerformance({ brokers: options.brokers, topic: perfTopic, records: options.events, recordSize: options.recordSize });

    const row = (label: string, rate: number, mb: string, note: string) =>
      `  ${label.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} events/s ${mb.padStart(8)} MB/s   ${note}`;
    const relayMb = ((options.events * (fill.valueBytes + fill.headerBytes + 36)) / relaySeconds / 1024 / 1024).toFixed(2);
    console.log('');
    console.log(`results, ${options.events} records of ${options.recordSize} B value, acks=all:`);
    console.log(row('outbox relay (PG -> Kafka)', relayRate, relayMb, `${relaySeconds.toFixed(2)} s end to end, rows deleted, key + ${fill.headerBytes} B headers`));
    console.log(row('Kafka ProducerPerformance (Java)', perf.recordsPerSecond, perf.mbPerSecond.toFixed(2), `${perf.avgLatencyMs} ms avg latency, no key/headers`));
    console.log(`  relay / ProducerPerformance: ${((relayRate / perf.recordsPerSecond) * 100).toFixed(0)}%`);
    console.log(`  target ${TARGET_EVENTS_PER_SECOND.toLocaleString('en-US')} events/s: ${relayRate >= TARGET_EVENTS_PER_SECOND ? 'met' : 'NOT met'}`);
  } finally {
    await pool.end();
    await database.drop();
    await kafkaAdmin.deleteTopics({ topics: [relayTopic, perfTopic] }).catch(() => undefined);
    await kafkaAdmin.disconnect();
  }
}

main().catch((error) => {
  console.error(`relay-drain bench failed: ${(error as Error).message}`);
  process.exit(1);
});
