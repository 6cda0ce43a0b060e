import { EventEnvelope, TraceHeader, encodeEnvelope } from '@platform/contracts';
import { creationContext } from '@platform/observability';
import { OUTBOX_TELEMETRY_SCOPE } from './telemetry-scope';

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
 *
 * Each row stores the trace context of its own `create` span, a child of the active span (the
 * request or the event being handled): the relay publishes the row on behalf of that request,
 * long after and in another process, and parents its send span on what the row says.
 */
export function outboxInsert(schema: string, topic: string, events: readonly EventEnvelope[], paramsBefore = 0, options: OutboxInsertOptions = {}): SqlStatement {
  const params: unknown[] = [];
  const rows = events.map((event) => {
    const record = encodeEnvelope(event);
    const headers = withCreationContext(record.headers, topic, event);
    const base = paramsBefore + params.length;
    params.push(event.id, topic, record.key, event.type, JSON.stringify(headers), record.value.toString('utf8'));
    return `$${base + 1}::uuid, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6}`;
  });
  const into = `INSERT INTO "${schema}".outbox (event_id, topic, message_key, event_type, headers, value)`;
  const sql = options.onlyIfRowsIn
    ? `${into} ${rows.map((row) => `SELECT ${row} WHERE EXISTS (SELECT 1 FROM ${options.onlyIfRowsIn})`).join(' UNION ALL ')} RETURNING 1`
    : `${into} VALUES ${rows.map((row) => `(${row})`).join(', ')}`;
  return { sql, params };
}

export interface OutboxInsertOptions {
  /**
   * The name of a CTE of the same statement: the events are inserted only if it returned a row
   * (the state change they describe happened), and the INSERT returns one row per event written.
   */
  readonly onlyIfRowsIn?: string;
}

/** The event's own trace fields, replaced by its creation span's when telemetry has one to give. */
function withCreationContext(headers: Record<string, string>, topic: string, event: EventEnvelope): Record<string, string> {
  const created = creationContext(OUTBOX_TELEMETRY_SCOPE, { topic, key: event.subject, id: event.id, type: event.type });
  if (!created.traceparent) return headers;
  const { [TraceHeader.TraceState]: _stale, ...rest } = headers;
  return { ...rest, ...created };
}
