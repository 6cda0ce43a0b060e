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
    // One notification per statement, not per row: the relay only needs to know that there is work.
    `CREATE FUNCTION "${schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${OUTBOX_NOTIFY_CHANNEL}', ''); RETURN NULL; END $$`,
    `CREATE TRIGGER outbox_notify AFTER INSERT ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".outbox_notify()`,
  ];
}

export function dropOutboxTableSql(schema: string): string[] {
  return [`DROP TABLE IF EXISTS "${schema}".outbox`, `DROP FUNCTION IF EXISTS "${schema}".outbox_notify()`];
}
