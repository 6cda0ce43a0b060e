import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { Admin, IHeaders, Kafka } from 'kafkajs';
import { DeadLetterHeader, encodeEnvelope } from '@platform/contracts';
import { fuzzSettings } from '@platform/testing';
import type { RecordInfo } from '../hooks/runtime-hooks';
import { TopicCollector, TestDatabase, accountCreated, createTestDatabase, memoryLogger, testDeclaration, testKafka, testKafkaConfig, topicsOf, waitFor } from '../test/fixtures';
import { RunningApp, createEffectsTable, startScriptedApp } from '../test/scripted-app';
import { GarbageRecord, garbageRecord, validRecord } from '../test/garbage-records';

// Bounded for the suite (about 15 s here); `npm run fuzz -- --runs 500` for the long run.
const settings = fuzzSettings('consumer runtime');
const declaration = testDeclaration('crfuzz', [200]);
const topics = topicsOf(declaration);
// The broker's default limit is about 1 MB; these topics take the 2 MB records, and so must the
// dead-letter topic that receives them unchanged.
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const LARGE_RECORD_BYTES = 2 * 1024 * 1024;

describe('consumer runtime under garbage records (fuzz)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let collector: TopicCollector;
  let running: RunningApp;
  const ignored: RecordInfo[] = [];
  const logger = memoryLogger();

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.all.map((topic) => ({ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }] })),
    });
    db = await createTestDatabase('consumer_fuzz');
    await createEffectsTable(db.pool);
    collector = new TopicCollector(kafka, [topics.dlt]);
    [running] = await Promise.all([
      startScriptedApp({
        consumer: declaration,
        kafka: testKafkaConfig(declaration.name),
        inbox: { pool: db.pool, schema: 'consumer_inbox' },
        retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 20 },
        fetchMaxWaitMs: 100,
        hooks: { onIgnored: (info) => ignored.push(info) },
        logger,
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

  /** Sends the garbage, then a valid event on the same key; returns the offset of each garbage record. */
  async function send(records: readonly { key: string | null; value: Buffer | null; headers: IHeaders }[]): Promise<string[]> {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      // One record per send: the offsets then map one to one, whatever batching would do.
      const offsets: string[] = [];
      for (const record of records) {
        const [metadata] = await producer.send({ topic: topics.source, acks: -1, messages: [record] });
        offsets.push(metadata.baseOffset!);
      }
      return offsets;
    } finally {
      await producer.disconnect();
    }
  }

  /** Every promise about one batch of garbage followed by one valid event. */
  async function expectHandled(garbage: readonly GarbageRecord[], accountId: string): Promise<void> {
    const valid = accountCreated(accountId);
    const offsets = await send([...garbage, encodeEnvelope(valid)]);
    // The valid record comes last on the same key and partition: once it is handled, everything before it was settled.
    await waitFor(() => running.script.callsFor(valid.id).length > 0, `the valid event after ${garbage.map((g) => g.kind).join(', ')}`, 30_000);
    const broken: string[] = [];
    for (const [i, record] of garbage.entries()) {
      const offset = offsets[i];
      if (record.reasons === undefined) {
        // The fast lane reports its skips after the whole run it settled, so after the valid record's handler.
        const skipped = await waitFor(() => ignored.some((info) => info.offset === offset), `the skip of ${record.kind} @${offset}`, 10_000).catch(() => false);
        if (!skipped) broken.push(`${record.kind} @${offset}: not reported as skipped`);
        if (collector.on(topics.dlt).some((r) => r.headers[DeadLetterHeader.OriginalOffset] === offset)) broken.push(`${record.kind} @${offset}: dead-lettered`);
        continue;
      }
      const letter = await waitFor(() => collector.on(topics.dlt).find((r) => r.headers[DeadLetterHeader.OriginalOffset] === offset), `the dead letter of ${record.kind} @${offset}`, 30_000).catch(() => undefined);
      if (!letter) {
        broken.push(`${record.kind} @${offset}: no dead letter`);
        continue;
      }
      const reason = letter.headers[DeadLetterHeader.ErrorCode];
      if (!record.reasons.includes(reason)) broken.push(`${record.kind} @${offset}: dead-lettered with ${reason}, expected one of ${record.reasons.join(', ')}`);
      if (!letter.headers[DeadLetterHeader.ErrorMessage]) broken.push(`${record.kind} @${offset}: dead letter has no ${DeadLetterHeader.ErrorMessage}`);
      // The dead letter keeps the bytes as they came, so the record can be inspected and replayed.
      if (!(letter.value ?? Buffer.alloc(0)).equals(record.value ?? Buffer.alloc(0))) broken.push(`${record.kind} @${offset}: dead letter value differs from the record`);
    }
    const letteredValid = collector.on(topics.dlt, valid.id).filter((r) => r.headers[DeadLetterHeader.OriginalOffset] === offsets[offsets.length - 1]);
    if (letteredValid.length > 0) broken.push('the valid event was dead-lettered');
    if (running.script.callsFor(valid.id).length !== 1) broken.push(`the valid event was handled ${running.script.callsFor(valid.id).length} times`);
    if (broken.length > 0) throw new Error(broken.join('\n'));
  }

  it('dead-letters every garbage record with its reason and goes on to the next valid one', async () => {
    const cases = fc.uuid().chain((accountId) => fc.tuple(fc.constant(accountId), fc.array(garbageRecord(accountId), { minLength: 1, maxLength: 4 })));
    await fc.assert(
      fc.asyncProperty(cases, async ([accountId, garbage]) => expectHandled(garbage, accountId)),
      // Shrinking re-sends records that are already on the topic: the fresh account id per run keeps runs apart.
      settings.parameters(20),
    );
  }, settings.timeoutMs(20, 1_000));

  it(`dead-letters ${LARGE_RECORD_BYTES / 1024 / 1024} MB records (random bytes, and JSON of the wrong shape) and goes on`, async () => {
    const accountId = randomUUID();
    const valid = validRecord(accountId);
    const large: GarbageRecord[] = [
      { kind: '2 MB of random bytes', key: valid.key, value: randomBytes(LARGE_RECORD_BYTES), headers: valid.headers, reasons: ['EVENT_VALUE_NOT_JSON'] },
      { kind: '2 MB of JSON', key: valid.key, value: Buffer.from(JSON.stringify({ accountId, padding: 'x'.repeat(LARGE_RECORD_BYTES) })), headers: valid.headers, reasons: ['EVENT_SCHEMA_INVALID'] },
    ];
    await expectHandled(large, accountId);
  });
});
