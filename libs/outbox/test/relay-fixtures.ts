import { randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { Pool } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { CloudEventHeader, EventEnvelope, EventType, createEnvelope } from '@platform/contracts';
import { createFreshDatabase, readTopic as readWholeTopic, testBrokers } from '@platform/testing';
import { createOutboxTableSql, writeToOutbox } from '../src';

/** Shared by the relay's integration specs: real PostgreSQL, real brokers, nothing mocked. */

export const SCHEMA = 'accounts';
const ROOT = path.resolve(__dirname, '../../..');

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

export interface TestDatabase {
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

/** A fresh database with the outbox in schema `accounts`, as the accounts service has it. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const fresh = await createFreshDatabase(prefix);
  const pool = new Pool({ connectionString: fresh.url, max: 4 });
  // Dropping the database WITH (FORCE) terminates idle pool connections; the pool re-emits that
  // as 'error', which would otherwise crash the test process after the assertions have passed.
  pool.on('error', () => undefined);
  await pool.query(`CREATE SCHEMA ${SCHEMA}`);
  for (const sql of createOutboxTableSql(SCHEMA)) await pool.query(sql);
  return {
    url: fresh.url,
    pool,
    async drop() {
      await pool.end();
      await fresh.drop();
    },
  };
}

export function testKafka(brokers: string[] = testBrokers()): Kafka {
  return new Kafka({ clientId: `relay-test-${suffix()}`, brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

export async function createTopic(kafka: Kafka, partitions = 3): Promise<string> {
  const topic = `relay-test-${suffix()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

export async function deleteTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

/** `perAccount` updates for each of `accounts` accounts, interleaved the way real traffic is. */
export function accountUpdates(accounts: number, perAccount: number): EventEnvelope[] {
  const ids = Array.from({ length: accounts }, () => randomUUID());
  const events: EventEnvelope[] = [];
  for (let version = 1; version <= perAccount; version++) {
    for (const accountId of ids) {
      events.push(
        createEnvelope({
          type: EventType.AccountUpdated,
          source: 'accounts',
          subject: accountId,
          data: { accountId, version, changedFields: ['displayName'], updatedAt: new Date().toISOString() },
          traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
        }),
      );
    }
  }
  return events;
}

/** Writes through writeToOutbox in transactions of `chunk` events, as the service would. */
export async function writeEvents(pool: Pool, topic: string, events: readonly EventEnvelope[], chunk = 500): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await writeToOutbox(client, SCHEMA, topic, events.slice(i, i + chunk));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
}

export async function outboxCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`);
  return rows[0].n;
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** Every record on the topic up to its current end, in partition then offset order. */
export async function readTopic(kafka: Kafka, topic: string): Promise<ReadRecord[]> {
  const records = await readWholeTopic(kafka, topic);
  return records.map((r) => ({ partition: r.partition, offset: r.offset, key: r.key ?? '', value: r.value?.toString('utf8') ?? '', headers: r.headers }));
}

/**
 * Checks the at-least-once contract against what was written: every event present, every copy
 * of an event identical (same ce_id, key, value), and per key the first copies in write order.
 */
export function assertDelivered(written: readonly EventEnvelope[], records: readonly ReadRecord[]): { duplicates: number } {
  const byId = new Map<string, ReadRecord>();
  let duplicates = 0;
  for (const record of records) {
    const id = record.headers[CloudEventHeader.Id];
    const first = byId.get(id);
    if (first) {
      duplicates++;
      if (first.value !== record.value || first.key !== record.key) throw new Error(`duplicate of ${id} differs from its first copy`);
    } else {
      byId.set(id, record);
    }
  }
  const missing = written.filter((e) => !byId.has(e.id));
  if (missing.length > 0) throw new Error(`${missing.length} of ${written.length} events missing, first ${missing[0].id}`);
  if (byId.size !== written.length) throw new Error(`${byId.size - written.length} unexpected events on the topic`);
  // Records of one key share a partition, and a partition is read in offset order.
  const writeOrder = new Map(written.map((e, i) => [e.id, i]));
  const lastSeen = new Map<string, number>();
  const seen = new Set<string>();
  for (const record of records) {
    const id = record.headers[CloudEventHeader.Id];
    if (seen.has(id)) continue;
    seen.add(id);
    const position = writeOrder.get(id)!;
    const previous = lastSeen.get(record.key) ?? -1;
    if (position < previous) throw new Error(`key ${record.key}: event ${id} arrived after a later event`);
    lastSeen.set(record.key, position);
  }
  return { duplicates };
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, intervalMs = 50): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A broker of the test's own on another port, which it may stop (never the shared one on 9092). */
export const OWN_BROKER = { port: 29092, dataDir: '/tmp/relay-kafka' };

export async function ownBroker(action: 'start' | 'stop'): Promise<void> {
  await promisify(execFile)('bash', [path.join(ROOT, 'tools/kafka/kafka.sh'), action], {
    env: { ...process.env, KAFKA_PORT: String(OWN_BROKER.port), KAFKA_DATA_DIR: OWN_BROKER.dataDir },
    timeout: 90_000,
  });
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** A RelayLogger that keeps what it was told, so specs can count state-change logs. */
export function recordingLogger(): { lines: LogLine[]; info: (m: string, f?: Record<string, unknown>) => void; warn: (m: string, f?: Record<string, unknown>) => void; error: (m: string, f?: Record<string, unknown>) => void } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}

/** Advisory locks held in the current database (the test's own; others share the server). */
export const ADVISORY_LOCKS_SQL = `SELECT count(*)::int AS n FROM pg_locks
  WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** The backend pid of the session holding the relay's leader lock, if any. */
export async function leaderBackendPid(pool: Pool): Promise<number | undefined> {
  const { rows } = await pool.query(`SELECT pid FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
  return rows[0]?.pid;
}
