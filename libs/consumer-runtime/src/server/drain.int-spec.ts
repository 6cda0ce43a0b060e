import { Admin, Kafka } from 'kafkajs';
import { encodeEnvelope } from '@platform/contracts';
import { TestDatabase, accountCreated, createTestDatabase, createTopics, memoryLogger, produce, testDeclaration, testKafka, testKafkaConfig, topicsOf, waitFor } from '../test/fixtures';
import { RunningApp, createEffectsTable, effects, startScriptedApp } from '../test/scripted-app';
import type { KafkaEventServerOptions } from './kafka-event-server-options';

const declaration = testDeclaration('crd', [300, 600]);
const topics = topicsOf(declaration);

describe('KafkaEventServer.close()', () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let options: KafkaEventServerOptions;
  const started: RunningApp[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    // One partition: the two records below are in one batch, one behind the other.
    [db] = await Promise.all([createTestDatabase('consumer_runtime_drain'), createTopics(admin, topics.all, 1)]);
    await createEffectsTable(db.pool);
    options = {
      consumer: declaration,
      kafka: testKafkaConfig(declaration.name),
      inbox: { pool: db.pool, schema: 'drain_inbox' },
      fetchMaxWaitMs: 100,
      shutdownTimeoutMs: 10_000,
      logger: memoryLogger(),
    };
  });

  afterAll(async () => {
    for (const app of started) await app.app.close().catch(() => undefined);
    await admin?.deleteTopics({ topics: topics.all }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  it('finishes the record in flight, commits it, starts nothing new, and the next instance resumes after it', async () => {
    const first = started[started.push(await startScriptedApp(options)) - 1];
    const slow = accountCreated();
    const behind = accountCreated();
    let handlerFinishedAt = 0;
    first.script.set(slow.id, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      handlerFinishedAt = Date.now();
    });
    await produce(kafka, topics.source, [encodeEnvelope(slow), encodeEnvelope(behind)]);
    await waitFor(() => first.script.callsFor(slow.id).length === 1, 'the slow handler to start');

    await first.app.close();
    const closedAt = Date.now();

    // close() waited for the handler and its inbox commit...
    expect(handlerFinishedAt).toBeGreaterThan(0);
    expect(closedAt).toBeGreaterThanOrEqual(handlerFinishedAt);
    expect((await effects(db.pool)).map((e) => e.event_id)).toEqual([slow.id]);
    // ...did not start the record behind it...
    expect(first.script.callsFor(behind.id)).toHaveLength(0);
    // ...and committed the finished record's offset before leaving the group.
    const [committed] = await admin.fetchOffsets({ groupId: declaration.groupId, topics: [topics.source] });
    expect(committed.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '1' })]);

    const second = started[started.push(await startScriptedApp(options)) - 1];
    await waitFor(async () => (await effects(db.pool)).length === 2, 'the next instance to process the rest');
    expect((await effects(db.pool)).map((e) => e.event_id)).toEqual([slow.id, behind.id]);
    expect(second.script.callsFor(slow.id)).toHaveLength(0);
  });
});
