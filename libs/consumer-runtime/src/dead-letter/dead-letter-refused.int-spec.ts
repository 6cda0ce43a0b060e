import { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import { DeadLetterHeader, encodeEnvelope } from '@platform/contracts';
import type { RecordInfo } from '../hooks/runtime-hooks';
import { TopicCollector, TestDatabase, accountCreated, createTestDatabase, memoryLogger, stopScenario, testDeclaration, testKafka, testKafkaConfig, topicsOf, waitFor } from '../test/fixtures';
import { RunningApp, createEffectsTable, effects, failPermanently, startScriptedApp } from '../test/scripted-app';

// The dead-letter topic refuses every write (its max.message.bytes is below any record): the
// runtime must neither skip the poison record nor restart the whole consumer over it.
const declaration = testDeclaration('dlr', [300]);
const topics = topicsOf(declaration);
const REFUSING = '100';
/** The broker's default max.message.bytes. */
const ACCEPTING = '1048588';

describe('a dead-letter topic the broker refuses, over a real broker and database', () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let running: RunningApp;
  let collector: TopicCollector;
  const failedWrites: RecordInfo[] = [];
  const logger = memoryLogger();

  const sendTo = async (partition: number, event: ReturnType<typeof accountCreated>): Promise<string> => {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const [meta] = await producer.send({ topic: topics.source, acks: -1, messages: [{ ...encodeEnvelope(event), partition }] });
      return meta.baseOffset!;
    } finally {
      await producer.disconnect();
    }
  };
  const committed = async (partition: number): Promise<bigint> => {
    const [topic] = await admin.fetchOffsets({ groupId: declaration.groupId, topics: [topics.source] });
    return BigInt(topic.partitions.find((p) => p.partition === partition)!.offset);
  };
  const healthReady = async () => (await fetch(`http://127.0.0.1:${running.server.healthAddress()!.port}/health/ready`)).status;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    [db] = await Promise.all([
      createTestDatabase('consumer_dlt_refused'),
      admin.createTopics({
        waitForLeaders: true,
        topics: [
          ...[topics.source, ...topics.retries].map((topic) => ({ topic, numPartitions: 2 })),
          { topic: topics.dlt, numPartitions: 2, configEntries: [{ name: 'max.message.bytes', value: REFUSING }] },
        ],
      }),
    ]);
    await createEffectsTable(db.pool);
    collector = new TopicCollector(kafka, [topics.dlt]);
    await collector.start();
    running = await startScriptedApp({
      consumer: declaration,
      kafka: testKafkaConfig(declaration.name),
      inbox: { pool: db.pool, schema: 'consumer_inbox' },
      health: { host: '127.0.0.1', port: 0 },
      retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
      fetchMaxWaitMs: 100,
      hooks: { onDeadLetterFailed: (info) => failedWrites.push(info) },
      logger,
    });
  });

  afterAll(() => stopScenario({ app: running?.app, collector, admin, topics: topics.all, db, logger }));

  const poison = accountCreated();
  const behind = accountCreated();
  let poisonOffset: bigint;

  it('pauses only the poison record\'s partition, counts the failed writes, and commits nothing past it', async () => {
    running.script.set(poison.id, failPermanently('TEST_REJECTED'));
    poisonOffset = BigInt(await sendTo(0, poison));
    await sendTo(0, behind);
    const other = accountCreated();
    await sendTo(1, other);

    await waitFor(async () => (await effects(db.pool, other.subject)).length === 1, 'the record on the other partition to be processed');
    // Tried again after the pause: the record came back from its offset, not from a restart.
    await waitFor(() => failedWrites.filter((info) => info.eventId === poison.id).length >= 2, 'the dead-letter write to fail twice', 30_000);
    expect(failedWrites[0]).toMatchObject({ destination: topics.dlt, partition: 0, offset: String(poisonOffset), errorCode: 'FAILURE_FORWARD_FAILED' });
    expect(running.script.callsFor(poison.id).length).toBeGreaterThanOrEqual(2);

    expect(await effects(db.pool, behind.subject)).toHaveLength(0);
    expect(await committed(0)).toBeLessThanOrEqual(poisonOffset);
    expect(await healthReady()).toBe(200);
    expect(logger.lines.filter((line) => line.msg === 'consumer crashed')).toHaveLength(0);
  });

  // The acknowledged dead-letter write comes before the source offset's commit: shown above while
  // the write is refused, and here once the topic takes it.
  it('once the dead-letter topic takes the write, puts the record there and commits past it', async () => {
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topics.dlt, configEntries: [{ name: 'max.message.bytes', value: ACCEPTING }] }] });

    const [dead] = await waitFor(() => collector.on(topics.dlt, poison.id).length > 0 && collector.on(topics.dlt, poison.id), 'the poison record in the dead-letter topic', 30_000);
    expect(dead.headers).toMatchObject({
      [DeadLetterHeader.ErrorCode]: 'TEST_REJECTED',
      [DeadLetterHeader.OriginalTopic]: topics.source,
      [DeadLetterHeader.OriginalPartition]: '0',
      [DeadLetterHeader.OriginalOffset]: String(poisonOffset),
    });
    await waitFor(async () => (await effects(db.pool, behind.subject)).length === 1, 'the record behind the poison to be processed');
    await waitFor(async () => (await committed(0)) > poisonOffset + 1n, 'the committed offset to move past the poison and the record behind it');
    expect(collector.on(topics.dlt, poison.id)).toHaveLength(1);
  });
});
