import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Admin, Kafka } from 'kafkajs';
import { EventType, createEnvelope, encodeEnvelope } from '@platform/contracts';
import { testBrokers } from '@platform/testing';
import { MAX_RUN_RECORDS } from '../pipeline/fast-lane';
import { CRASH_TABLES_SQL, CrashConsumerSpec } from '../test/crash-consumer';
import { ConsumerProcess, killConsumerProcesses, startConsumerProcess } from '../test/consumer-process';
import { TestDatabase, createTestDatabase, createTopics, produce, testDeclaration, testKafka, topicsOf, waitFor } from '../test/fixtures';

// A real consumer process, killed with SIGKILL while it works through a backlog: no shutdown
// hook runs, in-flight records and their inbox transactions die with it. A second process in
// the same group must then finish the job with nothing lost, no event's side effect twice, and
// every account's events applied in order.

const ENTRY = path.join(__dirname, '../test/crash-consumer.ts');
const PARTITIONS = 3;
const ACCOUNTS = 40;
const EVENTS_PER_ACCOUNT = 50;
const TOTAL = ACCOUNTS * EVENTS_PER_ACCOUNT;

const declaration = testDeclaration('crk', [300]);
const topics = topicsOf(declaration);

function startConsumer(spec: CrashConsumerSpec): ConsumerProcess {
  return startConsumerProcess(ENTRY, [JSON.stringify(spec)]);
}

describe('a consumer process killed with SIGKILL mid-batch', () => {
  let kafka: Kafka;
  let admin: Admin;
  let db: TestDatabase;
  let spec: CrashConsumerSpec;
  const started: ConsumerProcess[] = [];

  const count = async (sql: string): Promise<number> => Number((await db.pool.query(sql)).rows[0].n);

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    [db] = await Promise.all([createTestDatabase('consumer_runtime_crash'), createTopics(admin, topics.all, PARTITIONS)]);
    for (const sql of CRASH_TABLES_SQL) await db.pool.query(sql);
    spec = {
      declaration,
      brokers: testBrokers(),
      databaseUrl: db.url,
      inboxSchema: 'crash_inbox',
      handlerDelayMs: 2,
    };
  });

  afterAll(async () => {
    await killConsumerProcesses(started);
    await admin?.deleteTopics({ topics: topics.all }).catch(() => undefined);
    await admin?.deleteGroups([declaration.groupId]).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  it('loses nothing, repeats no side effect and keeps each account in order after a restart', async () => {
    // Accounts interleaved, so every batch mixes them and each partition holds several.
    const accounts = Array.from({ length: ACCOUNTS }, () => randomUUID());
    const records = [];
    for (let position = 0; position < EVENTS_PER_ACCOUNT; position += 1) {
      for (const accountId of accounts) {
        records.push(
          encodeEnvelope(
            createEnvelope({
              type: EventType.AccountCreated,
              source: 'crash-spec',
              subject: accountId,
              data: {
                accountId,
                email: `crash-${accountId.slice(0, 8)}@example.com`,
                displayName: `position ${position}`,
                locale: 'en',
                plan: 'free',
                externalId: null,
                signupContext: { ip: null, userAgent: null },
                createdAt: new Date().toISOString(),
              },
            }),
          ),
        );
      }
    }
    await produce(kafka, topics.source, records);

    const first = startConsumer(spec);
    started.push(first);
    await waitFor(async () => (await count('SELECT count(*) AS n FROM crash_effects')) >= TOTAL / 4, 'the first process to be well into the backlog', 60_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const effectsAtKill = await count('SELECT count(*) AS n FROM crash_effects');
    expect(effectsAtKill).toBeLessThan(TOTAL);

    const second = startConsumer(spec);
    started.push(second);
    await waitFor(async () => (await count('SELECT count(*) AS n FROM crash_inbox.processed_events')) === TOTAL, 'the second process to finish the backlog', 60_000);

    // Nothing lost, nothing twice: one side effect and one inbox row per event.
    expect(await count('SELECT count(*) AS n FROM crash_effects')).toBe(TOTAL);
    expect(await count('SELECT count(DISTINCT event_id) AS n FROM crash_effects')).toBe(TOTAL);
    // Handler calls repeated after the kill are only those whose inbox claim had not committed:
    // at most one run per partition, never the events the first process had recorded.
    const calls = await count('SELECT count(*) AS n FROM crash_calls');
    expect(calls - TOTAL).toBeLessThanOrEqual(PARTITIONS * MAX_RUN_RECORDS);
    const pids = await db.pool.query('SELECT DISTINCT pid FROM crash_calls');
    expect(pids.rows.map((r) => r.pid).sort()).toEqual([first.child.pid, second.child.pid].sort());

    // Per account, side effects happened in the order the events were produced.
    const { rows } = await db.pool.query<{ account_id: string; positions: number[] }>(
      'SELECT account_id, array_agg(position ORDER BY seq) AS positions FROM crash_effects GROUP BY account_id',
    );
    expect(rows).toHaveLength(ACCOUNTS);
    for (const row of rows) expect(row.positions).toEqual(Array.from({ length: EVENTS_PER_ACCOUNT }, (_, i) => i));

    // And the survivor still stops cleanly.
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
