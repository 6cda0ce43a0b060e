import {
  EventDataMap,
  EventEnvelope,
  EventType,
  Topic,
  assertEventData,
  createEnvelope,
} from '@platform/contracts';
import { SqlStatement, outboxInsert, writeToOutbox } from '@platform/outbox';
import { EntityManager } from 'typeorm';
import { ACCOUNTS_SCHEMA } from '../database/schema';
import { markOutboxWritten } from '../outbox/outbox-commit.subscriber';

/** The CloudEvents `source` of everything this service publishes. */
export const ACCOUNTS_EVENT_SOURCE = 'urn:platform:accounts';

/** W3C trace context carried from the request or the inbound event onto what it causes. */
export interface TraceContext {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/**
 * Builds a lifecycle event keyed by the account. The data is checked against its contract
 * schema here, before it can reach the outbox: a malformed event fails the request that made
 * it (a bug, answered 500 and rolled back) instead of every consumer downstream.
 */
export function accountEvent<T extends EventType>(
  type: T,
  accountId: string,
  data: EventDataMap[T],
  trace: TraceContext = {},
  // The time of the change, so ce_time and the timestamp in the data never disagree.
  time?: Date,
): EventEnvelope<T> {
  assertEventData(type, data);
  return createEnvelope({ type, source: ACCOUNTS_EVENT_SOURCE, subject: accountId, data, time, ...trace });
}

/**
 * Appends through the caller's transaction: the events exist if and only if the state change
 * commits, and the relay is woken once it has.
 */
export async function appendLifecycleEvents(manager: EntityManager, events: readonly EventEnvelope[]): Promise<void> {
  await writeToOutbox(manager, ACCOUNTS_SCHEMA, Topic.AccountLifecycle, events);
  if (events.length > 0) markOutboxWritten(manager);
}

/** The outbox INSERT for lifecycle events, to be embedded in a larger statement (see outboxInsert for `onlyIfRowsIn`). */
export function lifecycleEventsInsert(events: readonly EventEnvelope[], paramsBefore: number, onlyIfRowsIn?: string): SqlStatement {
  return outboxInsert(ACCOUNTS_SCHEMA, Topic.AccountLifecycle, events, paramsBefore, { onlyIfRowsIn });
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Trace context from request headers; a malformed traceparent is dropped rather than propagated. */
export function traceFromHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): TraceContext {
  const traceparent = single(headers['traceparent'])?.trim().toLowerCase();
  if (!traceparent || !TRACEPARENT.test(traceparent)) return {};
  const tracestate = single(headers['tracestate'])?.trim();
  return { traceparent, ...(tracestate ? { tracestate } : {}) };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
