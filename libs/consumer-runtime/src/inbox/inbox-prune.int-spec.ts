import { Admin, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { encodeEnvelope } from '@platform/contracts';
import { TestDatabase, accountCreated, createTestDatabase, createTopics, memoryLogger, produce, testDeclaration, testKafka, testKafkaConfig, topicsOf, waitFor } from '../test/fixtures';
import { RunningApp, createEffectsTable, effects, startScriptedApp } from '../test/scripted-app';
import { DEFAULT_INBOX_RETENTION } from './inbox-retention';
import { InboxStore } from './inbox-store';
import { ensureRuntimeSchema } from './runtime-schema';

const declaration = testDeclaration('prune', [300]);
const topics = topicsOf(declaration);
const SCHEMA = 'prune_inbox';

describe('inbox retention over PostgreSQL and the broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let running: RunningApp | undefined;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    [db] = await Promise.all([createTestDatabase('consumer_runtime_prune'), createTopics(admin, topics.all, 1)]);
    await createEffectsTable(db.pool);
    await ensureRuntimeSchema(db.pool, SCHEMA);
  });

  afterAll(async () => {
    await running?.app.close().catch(() => undefined);
    await admin?.deleteTopics({ topics: topics.all }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  /** Rows as if processed `ageDays` ago; returns their ids. */
  async function seed(groupId: string, count: number, ageDays: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await db.pool.query(
      `INSERT INTO "${SCHEMA}".processed_events (consumer_group, event_id, event_type, source_topic, processed_at)
       SELECT $1, id, 'account.created.v1', 'src', now() - $3 * interval '1 day' FROM unnest($2::text[]) AS id`,
      [groupId, ids, ageDays],
    );
    return ids;
  }

  async function remaining(ids: readonly string[]): Promise<number> {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "${SCHEMA}".processed_events WHERE event_id = ANY($1)`, [ids]);
    return rows[0].n;
  }

  it('finds old rows through a BRIN index on processed_at', async () => {
    const { rows } = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'processed_events'`, [SCHEMA]);
    expect(rows.map((r) => r.indexdef).join('\n')).toMatch(/USING brin \(processed_at\)/);
  });

  it('deletes one group\'s expired ids batch by batch and nothing else', async () => {
    const store = new InboxStore(db.pool, SCHEMA);
    const expired = await seed('batch-group', 7, 40);
    const kept = await seed('batch-group', 2, 10);
    const otherGroup = await seed('another-group', 3, 40);

    // Three rows per statement: three full batches and a partial one.
    await expect(store.prune('batch-group', DEFAULT_INBOX_RETENTION.retentionMs, 3)).resolves.toBe(7);
    expect(await remaining(expired)).toBe(0);
    expect(await remaining(kept)).toBe(2);
    expect(await remaining(otherGroup)).toBe(3);
  });

  it('a running consumer prunes its expired ids at start and still skips the ids it keeps', async () => {
    const expired = await seed(declaration.groupId, 5, 36);
    const recent = accountCreated();
    const recentId = recent.id;
    await db.pool.query(
      `INSERT INTO "${SCHEMA}".processed_events (consumer_group, event_id, event_type, source_topic, processed_at)
       VALUES ($1, $2, $3, $4, now() - interval '34 days')`,
      [declaration.groupId, recentId, recent.type, topics.source],
    );
    const logger = memoryLogger();
    running = await startScriptedApp({
      consumer: declaration,
      kafka: testKafkaConfig(declaration.name),
      inbox: { pool: db.pool, schema: SCHEMA },
      fetchMaxWaitMs: 100,
      logger,
    });

    await waitFor(async () => (await remaining(expired)) === 0, 'expired ids pruned');
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'info', msg: `inbox of ${declaration.groupId}: pruned 5 row(s)` }));
    // 34 days is inside the 35-day window: a redelivery of that event is still a duplicate.
    const fresh = accountCreated();
    await produce(kafka, topics.source, [encodeEnvelope(recent), encodeEnvelope(fresh)]);
    const handled = async () => (await effects(db.pool)).map((e) => e.event_id);
    await waitFor(async () => (await handled()).includes(fresh.id), 'the new event handled');
    expect(await handled()).not.toContain(recentId);
    expect(await remaining([recentId])).toBe(1);
  });
});
