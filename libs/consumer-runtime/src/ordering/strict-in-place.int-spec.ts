import { randomUUID } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { DeadLetterHeader, encodeEnvelope } from '@platform/contracts';
import {
  TestDatabase,
  TopicCollector,
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
import { RunningApp, alwaysFail, createEffectsTable, effects, failTimes, startScriptedApp } from '../test/scripted-app';

const declaration = testDeclaration('crs', [300, 600]);
const topics = topicsOf(declaration);

describe("ordering: 'strict-in-place'", () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let collector: TopicCollector;
  let running: RunningApp;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    [db] = await Promise.all([createTestDatabase('consumer_runtime_strict'), createTopics(admin, topics.all, 2)]);
    await createEffectsTable(db.pool);
    collector = new TopicCollector(kafka, [...topics.retries, topics.dlt]);
    [running] = await Promise.all([
      startScriptedApp({
        consumer: declaration,
        kafka: testKafkaConfig(declaration.name),
        inbox: { pool: db.pool, schema: 'strict_inbox' },
        ordering: 'strict-in-place',
        retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 80 },
        fetchMaxWaitMs: 100,
        logger: memoryLogger(),
      }),
      collector.start(),
    ]);
  });

  afterAll(async () => {
    await running?.app.close();
    await collector?.stop();
    await admin?.deleteTopics({ topics: topics.all }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  it('blocks the partition on a failing event and keeps the account order without retry topics', async () => {
    const accountId = randomUUID();
    const first = accountCreated(accountId);
    const second = accountActivated(accountId);
    running.script.set(first.id, failTimes(4));
    await produce(kafka, topics.source, [encodeEnvelope(first), encodeEnvelope(second)]);

    await waitFor(async () => (await effects(db.pool, accountId)).length === 2, 'both events');
    expect((await effects(db.pool, accountId)).map((e) => e.event_id)).toEqual([first.id, second.id]);
    // Three quick attempts, the first retry delay waited out in place, then success on the fifth.
    expect(running.script.callsFor(first.id).map((c) => [c.attempt, c.topic])).toEqual([1, 2, 3, 4, 5].map((n) => [n, topics.source]));
    expect(collector.on(topics.retries[0])).toHaveLength(0);
  });

  it('dead-letters after the last in-place round, then moves on to the next event of the account', async () => {
    const accountId = randomUUID();
    const doomed = accountCreated(accountId);
    const next = accountActivated(accountId);
    running.script.set(doomed.id, alwaysFail('STILL_DOWN'));
    await produce(kafka, topics.source, [encodeEnvelope(doomed), encodeEnvelope(next)]);

    const [dead] = await waitFor(() => collector.on(topics.dlt, doomed.id).length > 0 && collector.on(topics.dlt, doomed.id), 'the dead letter');
    expect(dead.headers).toMatchObject({ [DeadLetterHeader.Attempts]: '9', [DeadLetterHeader.ErrorCode]: 'STILL_DOWN', [DeadLetterHeader.OriginalTopic]: topics.source });
    await waitFor(async () => (await effects(db.pool, accountId)).length === 1, 'the next event');
    expect((await effects(db.pool, accountId)).map((e) => e.event_id)).toEqual([next.id]);
    expect(collector.on(topics.retries[0])).toHaveLength(0);
    expect(collector.on(topics.retries[1])).toHaveLength(0);
  });
});
