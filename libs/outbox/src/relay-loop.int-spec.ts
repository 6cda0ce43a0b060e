import { Kafka } from 'kafkajs';
import { CloudEventHeader, encodeEnvelope } from '@platform/contracts';
import { OutboxNotifier, OutboxRelay, readBacklog, writeToOutbox } from './index';
import { ADVISORY_LOCKS_SQL, OutboxDatabase, SCHEMA, accountUpdates, assertDelivered, createOutboxDatabase, outboxCount, writeEvents } from '../testing';
import { readTopic } from '@platform/testing';
import {
  createTopic,
  deleteTopic,
  recordingLogger,
  testKafka,
  waitFor,
} from '../test/relay-fixtures';

describe('OutboxRelay over PostgreSQL and Kafka', () => {
  let db: OutboxDatabase;
  let kafka: Kafka;
  const topics: string[] = [];
  const relays: OutboxRelay[] = [];

  function relay(options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
    const created = new OutboxRelay({ connectionString: db.url, schema: SCHEMA, kafka, ...options });
    relays.push(created);
    return created;
  }

  async function topic(): Promise<string> {
    const name = await createTopic(kafka, 3);
    topics.push(name);
    return name;
  }

  beforeAll(async () => {
    db = await createOutboxDatabase('outbox_relay_it');
    kafka = testKafka();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await db.pool.query(`DELETE FROM ${SCHEMA}.outbox`);
  });

  afterAll(async () => {
    await Promise.all(topics.map((t) => deleteTopic(kafka, t)));
    await db.drop();
  });

  it('publishes every event in order with its key, headers and value, then deletes the rows', async () => {
    const target = await topic();
    const events = accountUpdates(10, 30);
    await writeEvents(db.pool, target, events, 100);
    expect((await readBacklog(db.pool, SCHEMA)).events).toBe(300);

    const running = relay({ batchSize: 64 });
    void running.run();
    await waitFor('outbox drained', async () => (await outboxCount(db.pool)) === 0);

    const records = await readTopic(kafka, target);
    expect(records).toHaveLength(300);
    expect(assertDelivered(events, records).duplicates).toBe(0);
    const byId = new Map(events.map((e) => [e.id, encodeEnvelope(e)]));
    for (const record of records) {
      const expected = byId.get(record.headers[CloudEventHeader.Id])!;
      expect(record.key).toBe(expected.key);
      expect(record.value?.toString('utf8')).toBe(expected.value.toString('utf8'));
      expect(record.headers).toEqual(expected.headers);
    }
    expect(running.status()).toMatchObject({ role: 'active', database: 'up', kafka: 'up', publishedEvents: 300 });
    expect(await readBacklog(db.pool, SCHEMA)).toEqual({ events: 0, oldestAgeSeconds: 0, oldestCreatedAt: null });
  });

  it('reports the backlog and the age of its oldest event', async () => {
    const target = await topic();
    await writeEvents(db.pool, target, accountUpdates(2, 3));
    await new Promise((r) => setTimeout(r, 300));
    const backlog = await readBacklog(db.pool, SCHEMA);
    expect(backlog.events).toBe(6);
    expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(0.25);
    expect(backlog.oldestAgeSeconds).toBeLessThan(30);
  });

  it('wakes on the commit notification, not on the poll interval', async () => {
    const target = await topic();
    const running = relay({ pollIntervalMs: 60_000 });
    void running.run();
    await waitFor('relay active', () => running.status().role === 'active');
    // Let the first (empty) SELECT finish so the relay is parked in its 60 s wait.
    await new Promise((r) => setTimeout(r, 200));

    // As the accounts service does it: commit, then poke the notifier.
    const notifier = new OutboxNotifier(db.url);
    const client = await db.pool.connect();
    await client.query('BEGIN');
    await writeToOutbox(client, SCHEMA, target, accountUpdates(1, 1));
    await client.query('COMMIT');
    client.release();
    notifier.poke();
    await notifier.close();
    const latencyMs = await waitFor('event published', async () => (await outboxCount(db.pool)) === 0, 5_000, 5);
    expect(latencyMs).toBeLessThan(1_000);
    expect(running.status().publishedEvents).toBe(1);
  });

  it('republishes, never loses, a batch whose delete did not happen (crash after publish)', async () => {
    const target = await topic();
    const events = accountUpdates(5, 40);
    await writeEvents(db.pool, target, events);

    // First relay: Kafka acknowledges its first batch, then it "dies" before deleting.
    let stopped: Promise<void> | undefined;
    const first = relay({
      batchSize: 50,
      hooks: {
        afterPublish: () => {
          // It must stay "dead", not reconnect and republish on its own: stopping with the crash
          // ends its loop whatever the backoff (which may be near 0, being fully jittered).
          stopped ??= first.stop();
          throw new Error('simulated crash between publish and delete');
        },
      },
    });
    void first.run();
    await waitFor('first relay crashed after publishing', () => stopped !== undefined);
    await stopped;
    expect(await outboxCount(db.pool)).toBe(200);

    // Restarted relay: the rows are still there and go out again.
    const second = relay({ batchSize: 50 });
    void second.run();
    await waitFor('outbox drained after restart', async () => (await outboxCount(db.pool)) === 0);

    const records = await readTopic(kafka, target);
    const { duplicates } = assertDelivered(events, records);
    expect(duplicates).toBe(50);
    expect(records).toHaveLength(250);
  });

  it('rides out a failure inside its own loop: same relay republishes and carries on', async () => {
    const target = await topic();
    const events = accountUpdates(4, 25);
    await writeEvents(db.pool, target, events);
    const logger = recordingLogger();
    let failures = 0;
    const running = relay({
      batchSize: 30,
      logger,
      databaseBackoff: { baseDelayMs: 50, maxDelayMs: 100 },
      hooks: {
        afterPublish: () => {
          if (failures++ === 1) throw new Error('simulated failure after publish');
        },
      },
    });
    void running.run();
    await waitFor('outbox drained', async () => (await outboxCount(db.pool)) === 0);
    const { duplicates } = assertDelivered(events, await readTopic(kafka, target));
    expect(duplicates).toBe(30);
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('finishes the batch in flight on stop, then releases the leader lock', async () => {
    const target = await topic();
    await writeEvents(db.pool, target, accountUpdates(10, 100));
    let stopRequested: Promise<void> | undefined;
    const running = relay({
      batchSize: 100,
      hooks: {
        afterPublish: () => {
          // Stop arrives between publish and delete: the delete must still happen.
          stopRequested ??= running.stop();
        },
      },
    });
    const done = running.run();
    await waitFor('stop requested', () => stopRequested !== undefined);
    await done;
    expect(running.status()).toMatchObject({ role: 'stopped', publishedEvents: 100 });
    expect(await outboxCount(db.pool)).toBe(900);
    const { rows } = await db.pool.query(ADVISORY_LOCKS_SQL);
    expect(rows[0].n).toBe(0);
    const records = await readTopic(kafka, target);
    expect(records).toHaveLength(100);
  });
});
