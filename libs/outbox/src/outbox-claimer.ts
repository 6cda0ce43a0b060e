import type { OutboxRow } from './outbox-row';
import { RelayConfigError } from './relay-errors';

/** The slice of a pg Client/Pool the relay needs; lets the same functions run on either. */
export interface SqlQueryable {
  query<R extends object = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<{ rows: R[] }>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema is spliced into SQL, so only plain lower-case identifiers are accepted. */
export function outboxTable(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new RelayConfigError(`outbox schema must match ${IDENTIFIER}, got ${JSON.stringify(schema)}`);
  return `"${schema}".outbox`;
}

interface ClaimedRow {
  id: string;
  topic: string;
  message_key: string;
  headers: Record<string, string>;
  value: string;
}

/**
 * The oldest `limit` rows in id order. No FOR UPDATE / SKIP LOCKED: only the relay holding the
 * leader lock reads here, and a row is removed only after Kafka has acknowledged it, so a crash
 * at any point leaves it in place to be read again.
 *
 * There is no "id > last seen" cursor either: a transaction that took a lower id but committed
 * later than a higher one is simply found by the next SELECT, instead of being skipped forever.
 */
export async function claimBatch(db: SqlQueryable, schema: string, limit: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<ClaimedRow>(
    `SELECT id, topic, message_key, headers, value FROM ${outboxTable(schema)} ORDER BY id LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ id: row.id, topic: row.topic, messageKey: row.message_key, headers: row.headers, value: row.value }));
}

/**
 * Removes rows Kafka has acknowledged. `id <= last` bounds the index range the planner walks; the
 * id list makes sure a lower id that committed late, and was not in this batch, stays.
 */
export async function deletePublished(db: SqlQueryable, schema: string, rows: readonly OutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  const result = (await db.query(`DELETE FROM ${outboxTable(schema)} WHERE id <= $1 AND id = ANY($2::bigint[])`, [
    ids[ids.length - 1],
    ids,
  ])) as { rowCount?: number | null };
  return result.rowCount ?? 0;
}
