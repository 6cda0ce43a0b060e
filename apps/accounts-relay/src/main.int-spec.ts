import { Kafka } from 'kafkajs';
import { RelayProcess } from '../test/relay-process';
import { ADVISORY_LOCKS_SQL, OutboxDatabase, accountUpdates, assertDelivered, createOutboxDatabase, outboxCount, writeEvents } from '@platform/outbox/testing';
import { freePort, readTopic, sumOf, testBrokers, testKafka, uniqueName, waitFor } from '@platform/testing';

describe('accounts-relay process', () => {
  let db: OutboxDatabase;
  let kafka: Kafka;
  const processes: RelayProcess[] = [];
  const topics: string[] = [];

  function startRelay(env: Record<string, string> = {}): RelayProcess {
    const relay = new RelayProcess({ DATABASE_URL: db.url, KAFKA_BROKERS: testBrokers().join(','), ...env });
    processes.push(relay);
    return relay;
  }

  async function createTopic(): Promise<string> {
    const topic = uniqueName('relay-app-it');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    topics.push(topic);
    return topic;
  }

  const drained = (timeoutMs = 30_000) => waitFor(async () => (await outboxCount(db.pool)) === 0, { timeoutMs, intervalMs: 50, what: 'outbox drained' });

  beforeAll(async () => {
    db = await createOutboxDatabase('accounts_relay_it');
    kafka = testKafka('accounts-relay-it');
  });

  afterEach(async () => {
    for (const relay of processes.splice(0)) {
      relay.kill('SIGKILL');
      await relay.exited;
    }
    await db.pool.query('DELETE FROM accounts.outbox');
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await db.drop();
  });

  it('serves health and Prometheus metrics, publishes what commits, and on SIGTERM releases the lock and exits 0', async () => {
    const topic = await createTopic();
    const relay = startRelay({ OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) });
    await relay.waitForLog((l) => l.msg === 'leader lock acquired; publishing the outbox');

    expect((await relay.get('/health/live')).status).toBe(200);
    expect(await relay.get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ready', role: 'active', database: 'up' } });

    const events = accountUpdates(5, 10);
    await writeEvents(db.pool, topic, events);
    await drained();
    const metrics = await relay.metrics();
    const schema = { outbox_schema: 'accounts' };
    expect(sumOf(metrics, 'outbox_backlog', schema)).toBe(0);
    expect(sumOf(metrics, 'outbox_oldest_event_age', schema)).toBe(0);
    expect(sumOf(metrics, 'outbox_relay_published_total', schema)).toBe(50);
    expect(sumOf(metrics, 'outbox_relay_active', schema)).toBe(1);
    expect(sumOf(metrics, 'outbox_relay_kafka_up', schema)).toBe(1);
    expect(sumOf(metrics, 'messaging_client_operation_duration_count', { messaging_operation_name: 'send' })).toBeGreaterThan(0);
    expect(assertDelivered(events, await readTopic(kafka, topic)).duplicates).toBe(0);

    relay.kill('SIGTERM');
    expect(await relay.exited).toEqual({ code: 0, signal: null });
    expect(relay.logs.map((l) => l.msg)).toContain('shut down cleanly');
    expect((await db.pool.query(ADVISORY_LOCKS_SQL)).rows[0].n).toBe(0);
    // JSON lines only, and no payload: the event data never reaches the log.
    expect(relay.logs.every((l) => l.level !== 'unparseable')).toBe(true);
    expect(relay.stdout.join('\n')).not.toContain('changedFields');
  });

  it('loses nothing when killed with SIGKILL mid-drain; duplicates after the restart carry the same ce_id', async () => {
    const topic = await createTopic();
    const events = accountUpdates(100, 300);
    await writeEvents(db.pool, topic, events);

    const first = startRelay({ RELAY_BATCH_SIZE: '500' });
    await waitFor(async () => (await outboxCount(db.pool)) <= 25_000, { timeoutMs: 30_000, intervalMs: 10, what: 'first relay publishing' });
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const left = await outboxCount(db.pool);
    expect(left).toBeGreaterThan(0);

    startRelay({ RELAY_BATCH_SIZE: '500' });
    await drained(60_000);
    const { duplicates } = assertDelivered(events, await readTopic(kafka, topic));
    // At most the batch that was acknowledged but not yet deleted when the process died.
    expect(duplicates).toBeLessThanOrEqual(500);
  });

  it('runs one active relay beside a standby, which takes over within seconds when the active one dies', async () => {
    const topic = await createTopic();
    const relays = [
      startRelay({ OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) }),
      startRelay({ OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) }),
    ];
    await waitFor(async () => {
      const roles = await Promise.all(relays.map((r) => r.role()));
      return roles.includes('active') && roles.includes('standby');
    }, { timeoutMs: 20_000, what: 'one active, one standby' });
    const roles = await Promise.all(relays.map((r) => r.role()));
    const active = relays[roles.indexOf('active')];
    const standby = relays[roles.indexOf('standby')];

    const before = accountUpdates(20, 100);
    await writeEvents(db.pool, topic, before, 100);
    await drained();
    const schema = { outbox_schema: 'accounts' };
    expect(sumOf(await active.metrics(), 'outbox_relay_published_total', schema)).toBe(2000);
    expect(sumOf(await standby.metrics(), 'outbox_relay_published_total', schema)).toBe(0);
    expect(sumOf(await standby.metrics(), 'outbox_relay_active', schema)).toBe(0);

    const killedAt = Date.now();
    active.kill('SIGKILL');
    await waitFor(async () => (await standby.role()) === 'active', { timeoutMs: 10_000, intervalMs: 20, what: 'standby takes over' });
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(3_000);

    const after = accountUpdates(20, 50);
    await writeEvents(db.pool, topic, after, 100);
    await drained();
    expect(assertDelivered([...before, ...after], await readTopic(kafka, topic)).duplicates).toBe(0);
  });

  it('refuses to start on bad configuration and names the variable', async () => {
    const relay = startRelay({ RELAY_BATCH_SIZE: 'lots', OUTBOX_SCHEMA: 'Accounts!' });
    expect((await relay.exited).code).toBe(1);
    const line = relay.logs.find((l) => l.msg === 'invalid configuration');
    expect(JSON.stringify(line?.problems)).toMatch(/RELAY_BATCH_SIZE.*OUTBOX_SCHEMA/);
  });
});
