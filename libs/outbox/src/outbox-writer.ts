import { EventEnvelope, encodeEnvelope } from '@platform/contracts';

/** Anything that can run a parameterised query inside the caller's transaction (pg client, TypeORM QueryRunner/EntityManager). */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Appends events to the outbox through the caller's transaction: the event exists if and only if
 * the state change commits. The record is encoded here, once, so the relay publishes bytes it
 * does not need to understand.
 */
export async function writeToOutbox(executor: SqlExecutor, schema: string, topic: string, events: readonly EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const insert = outboxInsert(schema, topic, events);
  await executor.query(insert.sql, insert.params);
}

export interface SqlStatement {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * The INSERT that appends `events`, numbering its parameters after `paramsBefore` so a writer can
 * make it part of a larger statement (e.g. a CTE that inserts the state change too, in one round trip).
 */
export function outboxInsert(schema: string, topic: string, events: readonly EventEnvelope[], paramsBefore = 0): SqlStatement {
  const params: unknown[] = [];
  const rows = events.map((event) => {
    const record = encodeEnvelope(event);
    const base = paramsBefore + params.length;
    params.push(event.id, topic, record.key, event.type, JSON.stringify(record.headers), record.value.toString('utf8'));
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6})`;
  });
  return {
    sql: `INSERT INTO "${schema}".outbox (event_id, topic, message_key, event_type, headers, value) VALUES ${rows.join(', ')}`,
    params,
  };
}
