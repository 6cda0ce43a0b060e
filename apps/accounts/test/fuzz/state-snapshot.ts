import type { DataSource } from 'typeorm';
import { ACCOUNTS_SCHEMA } from '../../src/database/schema';

/** Tables whose rows are the service's state: accounts, the events owed to Kafka, and inbox dedup. */
const STATE_TABLES = ['accounts', 'outbox', 'applied_events', 'api_keys'] as const;

export type StateSnapshot = Readonly<Record<string, string>>;

/**
 * Row count and a checksum of every row of each table, in one statement so it is one consistent
 * read. Cheap on the few hundred rows a fuzz run makes; idempotency_keys is taken separately
 * because a refused request may legitimately store its refusal there (see the spec).
 */
export async function snapshotState(db: DataSource): Promise<{ state: StateSnapshot; idempotencyKeys: string }> {
  const parts = [...STATE_TABLES, 'idempotency_keys'].map(
    (table) => `(SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM ${ACCOUNTS_SCHEMA}.${table} t) AS ${table}`,
  );
  const [row] = (await db.query(`SELECT ${parts.join(', ')}`)) as Record<string, string>[];
  const { idempotency_keys: idempotencyKeys, ...state } = row;
  return { state, idempotencyKeys };
}

export function changedTables(before: StateSnapshot, after: StateSnapshot): string[] {
  return Object.keys(before).filter((table) => before[table] !== after[table]);
}
