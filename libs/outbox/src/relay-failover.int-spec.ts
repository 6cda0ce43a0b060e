import { Kafka } from 'kafkajs';
import { EventEnvelope } from '@platform/contracts';
import { OutboxRelay } from './index';
import { OutboxDatabase, SCHEMA, accountUpdates, assertDelivered, createOutboxDatabase, leaderBackendPid, outboxCount, writeEvents } from '../testing';
import { readTopic } from '@platform/testing';
import {
  createTopic,
  deleteTopic,
  recordingLogger,
  testKafka,
  waitFor,
} from '../test/relay-fixtures';

describe('two relays on one outbox', () => {
  let db: OutboxDatabase;
  let kafka: Kafka;
  let topic: string;
  let relays: [OutboxRelay, OutboxRelay];
  const loggers = [recordingLogger(), recordingLogger()];
  const written: EventEnvelope[] = [];

  const active = () => relays.filter((r) => r.status().role === 'active');
  const standby = () => relays.filter((r) => r.status().role === 'standby');

  async function write(events: EventEnvelope[], chunk = 100): Promise<void> {
    written.push(...events);
    await writeEvents(db.pool, topic, events, chunk);
  }

  beforeAll(async () => {
    db = await createOutboxDatabase('outbox_failover_it');
    kafka = testKafka();
    topic = await createTopic(kafka, 3);
    const options = { connectionString: db.url, schema: SCHEMA, kafka, batchSize: 100, databaseBackoff: { baseDelayMs: 100, maxDelayMs: 500 } };
    // Each with its own Kafka client, as two processes would have.
    relays = [
      new OutboxRelay({ ...options, kafka: testKafka(), logger: loggers[0] }),
      new OutboxRelay({ ...options, kafka: testKafka(), logger: loggers[1] }),
    ];
    for (const relay of relays) void relay.run();
    await waitFor('one relay active', () => active().length === 1 && standby().length === 1, 10_000);
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await deleteTopic(kafka, topic);
    await db.drop();
  });

  it('lets exactly one relay publish while both run', async () => {
    const [leader] = active();
    const [follower] = standby();
    await write(accountUpdates(20, 50));
    await waitFor('outbox drained', async () => (await outboxCount(db.pool)) === 0);
    // Several standby retry rounds pass while it drains and after: the lock never changes hands.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(leader.status()).toMatchObject({ role: 'active', publishedEvents: 1000 });
    expect(follower.status()).toMatchObject({ role: 'standby', database: 'up', publishedEvents: 0 });
  });

  it('re-elects one leader within seconds when the leader loses its session, keeping per-account order', async () => {
    const [leader] = active();
    const leaderIndex = relays.indexOf(leader);
    // Traffic keeps flowing while the leader's session dies mid-stream.
    const traffic = write(accountUpdates(20, 100), 50);
    await waitFor('leader publishing', () => leader.status().publishedEvents > 1000, 10_000, 5);
    const pid = await leaderBackendPid(db.pool);
    expect(pid).toBeDefined();
    const killedAt = Date.now();
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);

    // The old leader notices at once and stops publishing...
    await waitFor('old leader drops its role', () => loggers[leaderIndex].lines.some((l) => l.message.startsWith('leadership lost')), 5_000, 5);
    // ...then whichever relay asks first wins: the follower on its 1 s retry, or the old leader
    // reconnecting. Either way exactly one publishes again, within seconds.
    await waitFor('a leader again', async () => active().length === 1 && (await leaderBackendPid(db.pool)) !== undefined, 5_000, 10);
    expect(Date.now() - killedAt).toBeLessThan(3_000);
    await traffic;
    await waitFor('outbox drained by the new leader', async () => (await outboxCount(db.pool)) === 0);
    await waitFor('one active, one standby', () => active().length === 1 && standby().length === 1, 5_000);
  });

  it('hands over on a graceful stop too, and the whole topic holds every event in per-key order', async () => {
    const [leader] = active();
    const [follower] = standby();
    const stoppedAt = Date.now();
    await leader.stop();
    await waitFor('follower takes over', () => follower.status().role === 'active', 5_000, 10);
    expect(Date.now() - stoppedAt).toBeLessThan(2_500);
    await write(accountUpdates(20, 10));
    await waitFor('outbox drained', async () => (await outboxCount(db.pool)) === 0);

    const records = await readTopic(kafka, topic);
    const { duplicates } = assertDelivered(written, records);
    // Only the batch in flight when the leader died may have gone out twice.
    expect(duplicates).toBeLessThanOrEqual(100);
  });
});
