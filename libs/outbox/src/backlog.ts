import { SqlQueryable, outboxTable } from './outbox-claimer';

/** What an operator alerts on: how much is waiting, and how long the oldest has waited. */
export interface Backlog {
  /** Outbox rows not yet acknowledged by Kafka. */
  readonly events: number;
  /** Age of the oldest of them in seconds, by the database clock; 0 when the outbox is empty. */
  readonly oldestAgeSeconds: number;
  readonly oldestCreatedAt: Date | null;
}

/**
 * One scan answers both numbers. The table is normally near-empty, so count(*) is cheap; when it
 * is not, that is exactly when someone wants the number. Ages use the database clock on both
 * sides, so a skewed relay host clock cannot distort them.
 */
export async function readBacklog(db: SqlQueryable, schema: string): Promise<Backlog> {
  const { rows } = await db.query<{ events: string; oldest: Date | null; age: string | null }>(
    `SELECT count(*) AS events, min(created_at) AS oldest,
            extract(epoch FROM clock_timestamp() - min(created_at)) AS age
       FROM ${outboxTable(schema)}`,
  );
  const row = rows[0];
  return {
    events: Number(row.events),
    oldestAgeSeconds: row.age === null ? 0 : Math.max(0, Number(row.age)),
    oldestCreatedAt: row.oldest,
  };
}
