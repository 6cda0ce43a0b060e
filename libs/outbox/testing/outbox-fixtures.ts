import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CloudEventHeader, EventEnvelope, EventType, createEnvelope } from '@platform/contracts';
import { FreshDatabase, ReadRecord, createFreshDatabase } from '@platform/testing';
import { createOutboxTableSql, notifyOutbox, writeToOutbox } from '../src';

/** Shared by the outbox lib's and the relay app's integration specs: real PostgreSQL and Kafka. */

export const SCHEMA = 'accounts';

export interface OutboxDatabase extends FreshDatabase {
  readonly pool: Pool;
}

/** A fresh database with the outbox in schema `accounts`, as the accounts service has it. */
export async function createOutboxDatabase(prefix: string): Promise<OutboxDatabase> {
  const fresh = await createFreshDatabase(prefix);
  const pool = new Pool({ connectionString: fresh.url, max: 4 });
  // Dropping the database WITH (FORCE) terminates idle pool connections; the pool re-emits that
  // as 'error', which would otherwise crash the test process after the assertions have passed.
  pool.on('error', () => undefined);
  await pool.query(`CREATE SCHEMA ${SCHEMA}`);
  for (const sql of createOutboxTableSql(SCHEMA)) await pool.query(sql);
  return {
    ...fresh,
    pool,
    async drop() {
      await pool.end();
      await fresh.drop();
    },
  };
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

/** Writes through writeToOutbox in transactions of `chunk` events, notifying after each commit, as the service does. */
export async function writeEvents(pool: Pool, topic: string, events: readonly EventEnvelope[], chunk = 500): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await writeToOutbox(client, SCHEMA, topic, events.slice(i, i + chunk));
      await client.query('COMMIT');
      await notifyOutbox(client);
    } finally {
      client.release();
    }
  }
}

export async function outboxCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`);
  return rows[0].n;
}

/** Advisory locks granted in the current database (the test's own; others share the server). */
const GRANTED_ADVISORY_LOCKS = `FROM pg_locks WHERE locktype = 'advisory' AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export const ADVISORY_LOCKS_SQL = `SELECT count(*)::int AS n ${GRANTED_ADVISORY_LOCKS}`;

/** The backend pid of the session holding the relay's leader lock, if any. */
export async function leaderBackendPid(pool: Pool): Promise<number | undefined> {
  const { rows } = await pool.query(`SELECT pid ${GRANTED_ADVISORY_LOCKS}`);
  return rows[0]?.pid;
}

/**
 * Checks the at-least-once contract against what was written: every event present, every copy
 * of an event identical (same ce_id, key, value), and per key the first copies in write order.
 */
export function assertDelivered(written: readonly EventEnvelope[], records: readonly ReadRecord[]): { duplicates: number } {
  const order = new Map(written.map((e, i) => [e.id, i]));
  const first = new Map<string, ReadRecord>();
  // Records of one key share a partition, and readTopic returns a partition in offset order.
  const lastPerKey = new Map<string | null, number>();
  let duplicates = 0;
  for (const record of records) {
    const id = record.headers[CloudEventHeader.Id];
    const earlier = first.get(id);
    if (earlier) {
      duplicates++;
      if (!(earlier.value ?? Buffer.alloc(0)).equals(record.value ?? Buffer.alloc(0)) || earlier.key !== record.key) {
        throw new Error(`duplicate of ${id} differs from its first copy`);
      }
      continue;
    }
    first.set(id, record);
    const position = order.get(id);
    if (position === undefined) throw new Error(`unexpected event ${id} on the topic`);
    if (position < (lastPerKey.get(record.key) ?? -1)) throw new Error(`key ${record.key}: event ${id} arrived after a later event`);
    lastPerKey.set(record.key, position);
  }
  const missing = written.filter((e) => !first.has(e.id));
  if (missing.length > 0) throw new Error(`${missing.length} of ${written.length} events missing, first ${missing[0].id}`);
  return { duplicates };
}
