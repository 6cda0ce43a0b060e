import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@platform/contracts';
import { ACCOUNTS_SCHEMA } from '../database/schema';

/**
 * The record of inbound events already handled, written in the same transaction as their
 * effect. Kafka delivers at least once, so the same event can arrive again after a rebalance or
 * a retry; finding its id here turns the repeat into a no-op.
 */
export interface InboxOutcome {
  readonly status: 'applied' | 'ignored' | 'duplicate';
  /** Why, in a few words; stored with the event id so "why did nothing happen" has an answer. */
  readonly detail: string;
}

export async function wasApplied(manager: EntityManager, eventId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM "${ACCOUNTS_SCHEMA}".applied_events WHERE event_id = $1`, [eventId]);
  return rows.length > 0;
}

export async function recordApplied(manager: EntityManager, event: EventEnvelope, accountId: string, outcome: InboxOutcome): Promise<void> {
  // A plain INSERT, no ON CONFLICT: callers hold the account's row lock, so a conflict would
  // mean a double application slipped through, and failing the transaction is the right answer.
  await manager.query(
    `INSERT INTO "${ACCOUNTS_SCHEMA}".applied_events (event_id, event_type, account_id, outcome) VALUES ($1, $2, $3, $4)`,
    [event.id, event.type, accountId, `${outcome.status}: ${outcome.detail}`],
  );
}
