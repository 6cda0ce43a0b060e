import { randomBytes, randomUUID } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { DeadLetterHeader, EventType, PermanentError, TraceHeader, encodeEnvelope } from '@platform/contracts';
import { MissingTopicsError } from '../errors/runtime-errors';
import type { RecordInfo, RuntimeHooks } from '../hooks/runtime-hooks';
import { EventPublisher } from '../publisher/event-publisher';
import {
  TopicCollector,
  TestDatabase,
  accountActivated,
  accountCreated,
  createTestDatabase,
  createTopics,
  memoryLogger,
  produce,
  testDeclaration,
  testKafka,
  testKafkaConfig,
  topicsOf,
  waitFor,
} from '../test/fixtures';
import { RunningApp, alwaysFail, createEffectsTable, effects, failPermanently, failTimes, startScriptedApp } from '../test/scripted-app';

// One Nest microservice on a throwaway topic set serves every scenario here: starting a group
// costs seconds, and each scenario keys its records by its own account, so they do not interfere.
const declaration = testDeclaration('crt', [300, 600]);
const topics = topicsOf(declaration);
const PARTITIONS = 3;

describe('KafkaEventServer over a real broker and database', () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let collector: TopicCollector;
  let running: RunningApp;
  const seen: { hook: keyof RuntimeHooks; info: RecordInfo }[] = [];
  const hooks: Partial<RuntimeHooks> = {
    onProcessed: (info) => seen.push({ hook: 'onProcessed', info }),
    onFailed: (info) => seen.push({ hook: 'onFailed', info }),
    onRetried: (info) => seen.push({ hook: 'onRetried', info }),
    onDeadLettered: (info) => seen.push({ hook: 'onDeadLettered', info }),
    onIgnored: (info) => seen.push({ hook: 'onIgnored', info }),
  };
  const hooksFor = (eventId: string) => seen.filter((s) => s.info.eventId === eventId);
  const logger = memoryLogger();

  const send = (event: ReturnType<typeof accountCreated> | ReturnType<typeof accountActivated>, partition?: number) => {
    const record = encodeEnvelope(event);
    return produce(kafka, topics.source, [{ ...record, partition }]);
  };

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    [db] = await Promise.all([createTestDatabase('consumer_runtime'), createTopics(admin, topics.all, PARTITIONS)]);
    await createEffectsTable(db.pool);
    collector = new TopicCollector(kafka, [...topics.retries, topics.dlt]);
    [running] = await Promise.all([
      startScriptedApp({
        consumer: declaration,
        kafka: testKafkaConfig(declaration.name),
        inbox: { pool: db.pool, schema: 'consumer_inbox' },
        health: { host: '127.0.0.1', port: 0 },
        retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 80 },
        fetchMaxWaitMs: 100,
        hooks,
        logger,
      }),
      collector.start(),
    ]);
  });

  afterAll(async () => {
    if (process.env.DUMP_RUNTIME_LOG) for (const line of logger.lines) if (line.level !== 'debug') console.log(line.level, line.msg, JSON.stringify(line.fields));
    await running?.app.close();
    await collector?.stop();
    await admin?.deleteTopics({ topics: topics.all }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  it('answers the health probes: live, and ready once partitions are assigned', async () => {
    const address = running.server.healthAddress()!;
    const live = await fetch(`http://127.0.0.1:${address.port}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok', groupId: declaration.groupId });
    const ready = await fetch(`http://127.0.0.1:${address.port}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', connected: true, joined: true });
  });

  it('dead-letters a poison record at once with every header, and processes the next record', async () => {
    const poison = randomBytes(64);
    const next = accountCreated();
    await produce(kafka, topics.source, [{ key: 'poison-key', value: poison, headers: { [TraceHeader.TraceParent]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }, partition: 0 }]);
    await send(next, 0);

    await waitFor(async () => (await effects(db.pool, next.subject)).length === 1, 'the record after the poison to be processed');
    const [dead] = await waitFor(() => collector.on(topics.dlt).filter((r) => r.key === 'poison-key').length === 1 && collector.on(topics.dlt).filter((r) => r.key === 'poison-key'), 'the poison record in the dead-letter topic');

    expect(dead.value).toEqual(poison);
    expect(dead.headers).toMatchObject({
      [TraceHeader.TraceParent]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      [DeadLetterHeader.ErrorClass]: 'EventDecodeError',
      [DeadLetterHeader.ErrorCode]: 'EVENT_HEADER_MISSING',
      [DeadLetterHeader.OriginalTopic]: topics.source,
      [DeadLetterHeader.OriginalPartition]: '0',
      [DeadLetterHeader.ConsumerGroup]: declaration.groupId,
      [DeadLetterHeader.Attempts]: '1',
    });
    expect(dead.headers[DeadLetterHeader.OriginalOffset]).toMatch(/^\d+$/);
    expect(dead.headers[DeadLetterHeader.OriginalTimestamp]).toMatch(/^\d+$/);
    expect(dead.headers[DeadLetterHeader.ErrorMessage]).toContain('ce_specversion');
    expect(dead.headers[DeadLetterHeader.ErrorStack]).toContain('EventDecodeError');
    expect(Date.parse(dead.headers[DeadLetterHeader.FirstFailureTime])).not.toBeNaN();
    expect(collector.on(topics.retries[0]).filter((r) => r.key === 'poison-key')).toHaveLength(0);
  });

  it('retries a retriable failure in process and produces exactly one side effect', async () => {
    const event = accountCreated();
    running.script.set(event.id, failTimes(2));
    await send(event);

    await waitFor(async () => (await effects(db.pool, event.subject)).length === 1, 'the side effect');
    expect(running.script.callsFor(event.id).map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(running.script.callsFor(event.id).every((c) => c.topic === topics.source)).toBe(true);
    await waitFor(() => hooksFor(event.id).some((s) => s.hook === 'onProcessed'), 'the processed hook');
    expect(hooksFor(event.id).filter((s) => s.hook === 'onFailed').map((s) => s.info.errorCode)).toEqual(['TEST_TIMEOUT', 'TEST_TIMEOUT']);
    expect(hooksFor(event.id).filter((s) => s.hook === 'onRetried').map((s) => s.info.reason)).toEqual(['in-process', 'in-process']);
    expect(collector.on(topics.retries[0], event.id)).toHaveLength(0);
  });

  it('dead-letters a PermanentError at once, without retries', async () => {
    const event = accountCreated();
    running.script.set(event.id, failPermanently('MAILBOX_REJECTED'));
    await send(event);

    const [dead] = await waitFor(() => collector.on(topics.dlt, event.id).length > 0 && collector.on(topics.dlt, event.id), 'the dead letter');
    expect(running.script.callsFor(event.id)).toHaveLength(1);
    expect(dead.headers).toMatchObject({
      [DeadLetterHeader.ErrorClass]: PermanentError.name,
      [DeadLetterHeader.ErrorCode]: 'MAILBOX_REJECTED',
      [DeadLetterHeader.Attempts]: '1',
      [TraceHeader.TraceParent]: event.traceparent,
    });
    expect(dead.key).toBe(event.subject);
    expect(JSON.parse(dead.value!.toString())).toEqual(event.data);
    expect(collector.on(topics.retries[0], event.id)).toHaveLength(0);
    expect(await effects(db.pool, event.subject)).toHaveLength(0);
    const deadHook = await waitFor(() => hooksFor(event.id).find((s) => s.hook === 'onDeadLettered'), 'the dead-letter hook');
    expect(deadHook.info).toMatchObject({ type: EventType.AccountCreated, errorCode: 'MAILBOX_REJECTED', destination: topics.dlt });
  });

  it('sends an ever-failing record through every retry topic and then to the dead-letter topic', async () => {
    const event = accountCreated();
    running.script.set(event.id, alwaysFail('DEPENDENCY_DOWN'));
    const sentAt = Date.now();
    await send(event);

    const [dead] = await waitFor(() => collector.on(topics.dlt, event.id).length > 0 && collector.on(topics.dlt, event.id), 'the dead letter');
    const calls = running.script.callsFor(event.id);
    // 3 in-process attempts on the source topic, then 3 on each retry topic.
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls.map((c) => c.topic)).toEqual([...Array(3).fill(topics.source), ...Array(3).fill(topics.retries[0]), ...Array(3).fill(topics.retries[1])]);
    // The retry topics were waited out: at least 300 + 600 ms.
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(900);

    const [retry1] = collector.on(topics.retries[0], event.id);
    const [retry2] = collector.on(topics.retries[1], event.id);
    expect(retry1.headers[DeadLetterHeader.Attempts]).toBe('3');
    expect(retry2.headers[DeadLetterHeader.Attempts]).toBe('6');
    expect(Date.parse(retry1.headers[DeadLetterHeader.RetryNotBefore])).toBeGreaterThan(Date.parse(retry1.headers[DeadLetterHeader.FirstFailureTime]));
    expect(dead.headers).toMatchObject({
      [DeadLetterHeader.Attempts]: '9',
      [DeadLetterHeader.ErrorCode]: 'DEPENDENCY_DOWN',
      [DeadLetterHeader.ErrorClass]: 'RetriableError',
      // The origin is the source-topic record, kept across both hops.
      [DeadLetterHeader.OriginalTopic]: topics.source,
      [DeadLetterHeader.OriginalPartition]: retry1.headers[DeadLetterHeader.OriginalPartition],
      [DeadLetterHeader.OriginalOffset]: retry1.headers[DeadLetterHeader.OriginalOffset],
      [DeadLetterHeader.FirstFailureTime]: retry1.headers[DeadLetterHeader.FirstFailureTime],
      [TraceHeader.TraceParent]: event.traceparent,
    });
    expect(dead.headers[DeadLetterHeader.RetryNotBefore]).toBeUndefined();
    expect(hooksFor(event.id).filter((s) => s.hook === 'onRetried' && s.info.reason === 'retry-topic').map((s) => s.info.destination)).toEqual(topics.retries);
  });

  it('runs the handler once for an event delivered twice (inbox)', async () => {
    const event = accountCreated();
    await send(event);
    await send(event);

    await waitFor(() => hooksFor(event.id).some((s) => s.hook === 'onIgnored' && s.info.reason === 'duplicate'), 'the duplicate to be skipped');
    expect(running.script.callsFor(event.id)).toHaveLength(1);
    expect(await effects(db.pool, event.subject)).toHaveLength(1);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM consumer_inbox.processed_events WHERE event_id = $1', [event.id]);
    expect(rows[0].n).toBe(1);
  });

  it('keeps the order of two events of one account across a retry (the later one is parked)', async () => {
    const accountId = randomUUID();
    const first = accountCreated(accountId);
    const second = accountActivated(accountId);
    // Fails its 3 in-process attempts and its first try from retry topic 1.
    running.script.set(first.id, failTimes(4));
    await produce(kafka, topics.source, [encodeEnvelope(first), encodeEnvelope(second)]);

    await waitFor(async () => (await effects(db.pool, accountId)).length === 2, 'both events to be processed', 25_000);
    expect((await effects(db.pool, accountId)).map((e) => e.event_id)).toEqual([first.id, second.id]);
    expect(running.script.callsFor(first.id).map((c) => [c.attempt, c.topic])).toEqual([
      [1, topics.source],
      [2, topics.source],
      [3, topics.source],
      [4, topics.retries[0]],
      [5, topics.retries[0]],
    ]);
    const parked = collector.on(topics.retries[0], second.id);
    expect(parked).toHaveLength(1);
    expect(parked[0].headers[DeadLetterHeader.ParkedBehind]).toMatch(/^\d+:\d+$/);
    expect(parked[0].headers[DeadLetterHeader.ErrorClass]).toBeUndefined();
    expect(hooksFor(second.id).some((s) => s.hook === 'onRetried' && s.info.reason === 'parked')).toBe(true);
    expect(running.script.callsFor(second.id)).toHaveLength(1);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM consumer_inbox.parked_keys WHERE message_key = $1', [accountId]);
    expect(rows[0].n).toBe(0);
  });

  it('consumes what EventPublisher publishes: one batch, keyed by subject, acks from all replicas', async () => {
    const accountId = randomUUID();
    const events = [accountCreated(accountId), accountActivated(accountId)];
    const publisher = await EventPublisher.connect(testKafkaConfig(`${declaration.name}-publisher`));
    try {
      await publisher.publish(topics.source, events);
    } finally {
      await publisher.disconnect();
    }
    // decodeRecord refuses a record whose key is not its subject, so processing proves the key.
    await waitFor(async () => (await effects(db.pool, accountId)).length === 2, 'both published events');
    expect((await effects(db.pool, accountId)).map((e) => e.event_id)).toEqual(events.map((e) => e.id));
    expect(running.script.callsFor(events[0].id)[0].headers).toMatchObject({ ce_subject: accountId, [TraceHeader.TraceParent]: events[0].traceparent });
  });

  it('refuses to start when a declared topic is missing, naming it', async () => {
    const missing = testDeclaration('crt-missing');
    await expect(
      startScriptedApp({ consumer: missing, kafka: testKafkaConfig(missing.name), inbox: { pool: db.pool, schema: 'consumer_inbox' }, logger: memoryLogger() }),
    ).rejects.toThrow(MissingTopicsError);
  });

  it('acknowledges and skips an event type this app has no handler for', async () => {
    const accountId = randomUUID();
    const closed = encodeEnvelope({ ...accountActivated(accountId), type: EventType.AccountClosed, data: { accountId, closedAt: new Date().toISOString() } });
    const eventId = closed.headers.ce_id;
    await produce(kafka, topics.source, [closed]);
    const ignored = await waitFor(() => hooksFor(eventId).find((s) => s.hook === 'onIgnored'), 'the ignored hook');
    expect(ignored.info).toMatchObject({ reason: 'no-handler', type: EventType.AccountClosed });
    expect(collector.on(topics.dlt, eventId)).toHaveLength(0);
  });
});
