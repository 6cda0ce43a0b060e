import { rm } from 'node:fs/promises';
import { Kafka } from 'kafkajs';
import { OutboxRelay } from './index';
import { OutboxDatabase, SCHEMA, accountUpdates, assertDelivered, createOutboxDatabase, outboxCount, writeEvents } from '../testing';
import { readTopic } from '@platform/testing';
import {
  OWN_BROKER,
  createTopic,
  ownBroker,
  recordingLogger,
  testKafka,
  waitFor,
} from '../test/relay-fixtures';

/** Runs against a broker of its own (port 29092), which it stops and starts; never the shared one. */
describe('OutboxRelay while Kafka is down', () => {
  let db: OutboxDatabase;
  let kafka: Kafka;

  beforeAll(async () => {
    await ownBroker('start');
    db = await createOutboxDatabase('outbox_kafka_down_it');
    kafka = testKafka([`127.0.0.1:${OWN_BROKER.port}`]);
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
    await ownBroker('stop');
    await rm(OWN_BROKER.dataDir, { recursive: true, force: true });
  }, 60_000);

  it('backs off without crashing, logs the outage once, and drains the backlog when Kafka returns', async () => {
    const topic = await createTopic(kafka, 3);
    const logger = recordingLogger();
    const relay = new OutboxRelay({
      connectionString: db.url,
      schema: SCHEMA,
      kafka,
      batchSize: 200,
      logger,
      // The production cap is 10 s; a shorter one keeps the spec quick, the shape is the same.
      kafkaBackoff: { baseDelayMs: 200, maxDelayMs: 2_000 },
    });
    let settled = false;
    const running = relay.run().finally(() => (settled = true));

    const before = accountUpdates(10, 10);
    await writeEvents(db.pool, topic, before);
    await waitFor('first events published', async () => (await outboxCount(db.pool)) === 0);

    await ownBroker('stop');
    const during = accountUpdates(10, 50);
    await writeEvents(db.pool, topic, during);
    await waitFor('relay notices the outage', () => relay.status().kafka === 'down', 20_000, 100);
    const linesAtOutage = logger.lines.length;
    // Several back-off rounds: the relay keeps its lock, its rows and its process, and stays quiet.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(logger.lines.length).toBe(linesAtOutage);
    expect(settled).toBe(false);
    expect(relay.status()).toMatchObject({ role: 'active', database: 'up', kafka: 'down', publishedEvents: 100 });
    expect(await outboxCount(db.pool)).toBe(500);

    await ownBroker('start');
    const drainMs = await waitFor('backlog drained after Kafka returned', async () => (await outboxCount(db.pool)) === 0, 60_000, 100);
    expect(relay.status().kafka).toBe('up');

    const records = await readTopic(kafka, topic);
    expect(assertDelivered([...before, ...during], records).duplicates).toBe(0);
    const outageLogs = logger.lines.filter((l) => l.message.startsWith('Kafka unavailable'));
    const recoveryLogs = logger.lines.filter((l) => l.message.startsWith('Kafka available again'));
    expect(outageLogs[0].fields).toMatchObject({ code: 'RELAY_PUBLISH_FAILED' });
    // One line per transition: each outage is closed by one recovery. (A freshly restarted broker
    // may refuse once more while its partitions elect leaders; that is a second transition pair.)
    expect(recoveryLogs).toHaveLength(outageLogs.length);
    expect(outageLogs.length).toBeLessThanOrEqual(2);
    await relay.stop();
    await running;
    // Visible in the jest output: how long the catch-up took after the broker came back.
    console.info(`backlog of 500 drained ${drainMs} ms after the broker answered again`);
  }, 120_000);
});
