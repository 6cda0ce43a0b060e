import { Admin, Kafka } from 'kafkajs';
import { DeadLetterHeader, encodeEnvelope } from '@platform/contracts';
import { TopicCollector, TestDatabase, accountCreated, createTestDatabase, createTopics, memoryLogger, produce, stopScenario, testDeclaration, testKafka, testKafkaConfig, topicsOf, waitFor } from '../test/fixtures';
import { RunningApp, createEffectsTable, effects, startScriptedApp } from '../test/scripted-app';

// A retry-topic record whose x-retry-not-before is far ahead or not a time at all must not hold
// its partition: it goes to the dead-letter topic and the records behind it are processed.
const declaration = testDeclaration('due', [300, 600]);
const topics = topicsOf(declaration);

describe('x-retry-not-before out of bounds, over a real broker and database', () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let collector: TopicCollector;
  let running: RunningApp;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    [db] = await Promise.all([createTestDatabase('consumer_due'), createTopics(admin, topics.all, 1)]);
    await createEffectsTable(db.pool);
    collector = new TopicCollector(kafka, [topics.dlt]);
    [running] = await Promise.all([
      startScriptedApp({
        consumer: declaration,
        kafka: testKafkaConfig(declaration.name),
        inbox: { pool: db.pool, schema: 'consumer_inbox' },
        retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
        fetchMaxWaitMs: 100,
        logger: memoryLogger(),
      }),
      collector.start(),
    ]);
  });

  afterAll(() => stopScenario({ app: running?.app, collector, admin, topics: topics.all, db }));

  it('dead-letters a record due in a day, at 9e15 ms or at "garbage", and processes the next record promptly', async () => {
    const bad = [String(Date.now() + 86_400_000), '9000000000000000', 'garbage'].map((notBefore) => ({ notBefore, event: accountCreated() }));
    const good = accountCreated();
    const onRetryTopic = (event: ReturnType<typeof accountCreated>, notBefore: string) => {
      const record = encodeEnvelope(event);
      return { ...record, headers: { ...record.headers, [DeadLetterHeader.RetryNotBefore]: notBefore, [DeadLetterHeader.Attempts]: '1' } };
    };
    await produce(kafka, topics.retries[0], [
      ...bad.map(({ event, notBefore }) => onRetryTopic(event, notBefore)),
      onRetryTopic(good, new Date(Date.now() + 300).toISOString()),
    ]);
    const started = Date.now();

    await waitFor(async () => (await effects(db.pool, good.subject)).length === 1, 'the good record behind the bad ones to be processed');
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const { event, notBefore } of bad) {
      const [dead] = await waitFor(() => collector.on(topics.dlt, event.id).length === 1 && collector.on(topics.dlt, event.id), `the record with not-before ${notBefore} in the DLT`);
      expect(dead.headers[DeadLetterHeader.ErrorCode]).toBe('RETRY_NOT_BEFORE_INVALID');
      expect(dead.headers[DeadLetterHeader.ErrorClass]).toBe('RetryNotBeforeInvalidError');
      expect(dead.headers[DeadLetterHeader.ErrorMessage]).toContain(notBefore);
      expect(await effects(db.pool, event.subject)).toHaveLength(0);
    }
    expect(running.script.callsFor(good.id)).toHaveLength(1);
  });
});
