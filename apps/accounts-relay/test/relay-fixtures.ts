import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CloudEventHeader, EventEnvelope, EventType, createEnvelope } from '@platform/contracts';
import { createOutboxTableSql, writeToOutbox } from '@platform/outbox';
import { FreshDatabase, ReadRecord, createFreshDatabase } from '@platform/testing';

// Specs reach the testing lib through this file: the lint rules allow it under test/ only.
export { readTopic, testBrokers, testKafka, uniqueName, waitFor } from '@platform/testing';

export const SCHEMA = 'accounts';

export interface OutboxDatabase extends FreshDatabase {
  readonly pool: Pool;
}

/** A fresh database holding the accounts outbox, as the accounts service creates it. */
export async function createOutboxDatabase(prefix: string): Promise<OutboxDatabase> {
  const fresh = await createFreshDatabase(prefix);
  const pool = new Pool({ connectionString: fresh.url, max: 3 });
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

/** `perAccount` updates for each of `accounts` accounts, interleaved as real traffic is. */
export function accountUpdates(accounts: number, perAccount: number): EventEnvelope[] {
  const ids = Array.from({ length: accounts }, () => randomUUID());
  const events: EventEnvelope[] = [];
  for (let version = 1; version <= perAccount; version++) {
    for (const accountId of ids) {
      const data = { accountId, version, changedFields: ['displayName'], updatedAt: new Date().toISOString() };
      events.push(createEnvelope({ type: EventType.AccountUpdated, source: 'accounts', subject: accountId, data }));
    }
  }
  return events;
}

export async function writeEvents(pool: Pool, topic: string, events: readonly EventEnvelope[], chunk = 1000): Promise<void> {
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

export const ADVISORY_LOCKS_SQL = `SELECT count(*)::int AS n FROM pg_locks
  WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/**
 * The at-least-once contract: every event present, copies identical (same ce_id, key, value),
 * and per key the first copies in write order. Returns how many duplicates there were.
 */
export function assertDelivered(written: readonly EventEnvelope[], records: readonly ReadRecord[]): number {
  const order = new Map(written.map((e, i) => [e.id, i]));
  const first = new Map<string, ReadRecord>();
  const lastPerKey = new Map<string, number>();
  let duplicates = 0;
  for (const record of records) {
    const id = record.headers[CloudEventHeader.Id];
    const earlier = first.get(id);
    if (earlier) {
      duplicates++;
      if (!earlier.value?.equals(record.value ?? Buffer.alloc(0)) || earlier.key !== record.key) throw new Error(`copies of ${id} differ`);
      continue;
    }
    first.set(id, record);
    const position = order.get(id);
    if (position === undefined) throw new Error(`unexpected event ${id} on the topic`);
    if (position < (lastPerKey.get(record.key!) ?? -1)) throw new Error(`key ${record.key}: ${id} arrived after a later event`);
    lastPerKey.set(record.key!, position);
  }
  const missing = written.length - first.size;
  if (missing > 0) throw new Error(`${missing} of ${written.length} events missing from the topic`);
  return duplicates;
}
