/**
 * The outbox lives in the writer's own database and schema. Rows are appended in the same
 * transaction as the state change they describe and deleted once Kafka has acknowledged them,
 * so the table stays small and its id order is the publish order.
 */
export const OUTBOX_NOTIFY_CHANNEL = 'outbox_inserted';

export function createOutboxTableSql(schema: string): string[] {
  const table = `"${schema}".outbox`;
  return [
    `CREATE TABLE ${table} (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      message_key text NOT NULL,
      event_type text NOT NULL,
      headers jsonb NOT NULL,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`,
  ];
}

/**
 * Earlier schemas notified from a trigger inside every writing transaction. PostgreSQL commits
 * notifying transactions one at a time under a global lock, held through the WAL flush, which
 * capped sign-ups at a fraction of what the database does without it; writers now notify
 * after commit instead (OutboxNotifier).
 */
export function dropOutboxNotifyTriggerSql(schema: string): string[] {
  return [`DROP TRIGGER IF EXISTS outbox_notify ON "${schema}".outbox`, `DROP FUNCTION IF EXISTS "${schema}".outbox_notify()`];
}

export function dropOutboxTableSql(schema: string): string[] {
  return [`DROP TABLE IF EXISTS "${schema}".outbox`, `DROP FUNCTION IF EXISTS "${schema}".outbox_notify()`];
}
