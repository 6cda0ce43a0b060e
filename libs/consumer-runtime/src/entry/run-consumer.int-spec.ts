import path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { encodeEnvelope } from '@platform/contracts';
import { freePort, testBrokers } from '@platform/testing';
import { ConsumerProcess, killConsumerProcesses, startConsumerProcess } from '../test/consumer-process';
import { ENTRY_CALLS_SQL, ENTRY_INBOX_SCHEMA, RELEASED_LINE, START_FAILURE } from '../test/entry-consumer';
import { TestDatabase, accountCreated, createTestDatabase, createTopics, produce, stopScenario, testDeclaration, testKafka, topicsOf, waitFor } from '../test/fixtures';

// A consumer process started through runConsumer, as the platform's apps start, over the real
// broker and PostgreSQL: it reads its configuration from the environment, consumes, and on SIGTERM
// finishes the record in flight, releases what it opened and exits 0; a bad configuration stops it
// at once with every bad variable named, the runtime's and the app's.

const ENTRY = path.join(__dirname, '../test/entry-consumer.ts');
const outputOf = (consumer: ConsumerProcess) => consumer.output.join('');

interface LogLine {
  readonly msg: string;
  readonly service?: string;
  readonly problems?: string[];
  readonly stack?: string;
}

const logLines = (consumer: ConsumerProcess): LogLine[] =>
  outputOf(consumer)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

describe('a consumer process started through runConsumer', () => {
  const declaration = testDeclaration('entry', [300]);
  const topics = topicsOf(declaration);
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  const started: ConsumerProcess[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    [db] = await Promise.all([createTestDatabase('consumer_runtime_entry'), createTopics(admin, topics.all, 1)]);
    await db.pool.query(ENTRY_CALLS_SQL);
  });

  afterAll(async () => {
    await killConsumerProcesses(started);
    await stopScenario({ admin, topics: topics.all, db });
  });

  it('consumes a record and, on SIGTERM, finishes it, releases what it opened and exits 0', async () => {
    const consumer = startConsumerProcess(ENTRY, [JSON.stringify(declaration)], {
      KAFKA_BROKERS: testBrokers().join(','),
      DATABASE_URL: db.url,
      HEALTH_PORT: String(await freePort()),
      ENTRY_HANDLER_DELAY_MS: '1500',
    });
    started.push(consumer);
    await waitFor(() => outputOf(consumer).includes(`consuming as ${declaration.name}; handler delay 1500 ms; health on 127.0.0.1:`), 'the consumer to start', 60_000);

    const event = accountCreated();
    await produce(kafka, topics.source, [encodeEnvelope(event)]);
    const phases = async () => (await db.pool.query<{ phase: string }>('SELECT phase FROM entry_calls WHERE event_id = $1 ORDER BY seq', [event.id])).rows.map((r) => r.phase);
    await waitFor(async () => (await phases()).includes('started'), 'the handler to start on the record', 30_000);
    consumer.child.kill('SIGTERM');

    expect(await consumer.exited).toEqual({ code: 0, signal: null });
    // The record in flight was finished and recorded in the inbox before the process let go.
    expect(await phases()).toEqual(['started', 'finished']);
    const inbox = await db.pool.query(`SELECT 1 FROM ${ENTRY_INBOX_SCHEMA}.processed_events WHERE event_id = $1`, [event.id]);
    expect(inbox.rowCount).toBe(1);
    const output = outputOf(consumer);
    expect(output).toContain('SIGTERM received, draining');
    expect(output.indexOf(RELEASED_LINE)).toBeGreaterThan(output.indexOf('SIGTERM received, draining'));
  });

  it('exits 1 on a bad configuration, naming the runtime’s bad variable and the app’s together', async () => {
    const consumer = startConsumerProcess(ENTRY, [JSON.stringify(declaration)], { KAFKA_BROKERS: testBrokers().join(','), HEALTH_PORT: 'http', ENTRY_HANDLER_DELAY_MS: 'slow' });
    started.push(consumer);
    expect(await consumer.exited).toEqual({ code: 1, signal: null });
    const failure = logLines(consumer).find((line) => line.msg === 'failed to start');
    expect(failure).toMatchObject({ service: declaration.name });
    expect(failure!.problems).toHaveLength(2);
    expect(failure!.problems!.join('\n')).toMatch(/HEALTH_PORT/);
    expect(failure!.problems!.join('\n')).toMatch(/ENTRY_HANDLER_DELAY_MS/);
    expect(failure!.stack).toBeUndefined();
  });

  it("exits 1 when the app's start fails, with the stack, after closing what it had opened", async () => {
    const consumer = startConsumerProcess(ENTRY, [JSON.stringify(declaration)], { KAFKA_BROKERS: testBrokers().join(','), DATABASE_URL: db.url, ENTRY_FAIL_START: 'true' });
    started.push(consumer);
    expect(await consumer.exited).toEqual({ code: 1, signal: null });
    const messages = logLines(consumer).map((line) => line.msg);
    expect(messages).toContain('failed to start');
    expect(messages.indexOf(RELEASED_LINE)).toBeGreaterThan(messages.indexOf('failed to start'));
    const failure = logLines(consumer).find((line) => line.msg === 'failed to start');
    expect(failure!.stack).toContain(START_FAILURE);
    expect(failure!.problems).toBeUndefined();
  });
});
