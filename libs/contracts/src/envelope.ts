import { randomUUID } from 'node:crypto';
import { CLOUDEVENTS_SPEC_VERSION, CloudEventHeader, JSON_CONTENT_TYPE, TraceHeader } from './headers';
import { EventType, isEventType } from './event-types';
import { EventDecodeError } from './errors';
import type { EventDataMap } from './event-catalog';

/** One envelope for every event on every topic: CloudEvents 1.0 attributes plus trace context. */
export interface EventEnvelope<T extends EventType = EventType> {
  readonly id: string;
  readonly type: T;
  readonly source: string;
  readonly time: string;
  /** The account the event is about; also the Kafka key, which is what keeps per-account order. */
  readonly subject: string;
  readonly data: EventDataMap[T];
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** A Kafka record as kafkajs produces it: string headers, Buffer value. */
export interface EncodedRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** What a consumer receives; headers may be Buffers, arrays or missing, as kafkajs hands them over. */
export interface RawRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export function createEnvelope<T extends EventType>(params: {
  type: T;
  source: string;
  subject: string;
  data: EventDataMap[T];
  id?: string;
  time?: Date;
  traceparent?: string;
  tracestate?: string;
}): EventEnvelope<T> {
  return {
    id: params.id ?? randomUUID(),
    type: params.type,
    source: params.source,
    time: (params.time ?? new Date()).toISOString(),
    subject: params.subject,
    data: params.data,
    ...(params.traceparent ? { traceparent: params.traceparent } : {}),
    ...(params.tracestate ? { tracestate: params.tracestate } : {}),
  };
}

/** CloudEvents Kafka binding, binary mode: attributes in headers, data alone in the value. */
export function encodeEnvelope(event: EventEnvelope): EncodedRecord {
  const headers: Record<string, string> = {
    [CloudEventHeader.SpecVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CloudEventHeader.Id]: event.id,
    [CloudEventHeader.Source]: event.source,
    [CloudEventHeader.Type]: event.type,
    [CloudEventHeader.Time]: event.time,
    [CloudEventHeader.Subject]: event.subject,
    [CloudEventHeader.ContentType]: JSON_CONTENT_TYPE,
  };
  if (event.traceparent) headers[TraceHeader.TraceParent] = event.traceparent;
  if (event.tracestate) headers[TraceHeader.TraceState] = event.tracestate;
  return { key: event.subject, value: Buffer.from(JSON.stringify(event.data)), headers };
}

export function headerString(headers: RawRecord['headers'], name: string): string | undefined {
  const raw = headers?.[name];
  // A duplicated header arrives as an array; the first one wins, as Kafka clients conventionally do.
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined || first === null) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

/** Every header as a string, by headerString's rule (of a repeated header the first value wins). */
export function stringHeaders(headers: RawRecord['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers ?? {})) {
    const value = headerString(headers, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function requireHeader(headers: RawRecord['headers'], name: string): string {
  const value = headerString(headers, name);
  if (!value) throw new EventDecodeError(`missing header ${name}`, 'EVENT_HEADER_MISSING');
  return value;
}

/**
 * Turns a record back into an envelope, or says precisely why it cannot. The data is parsed but
 * not validated here: validation against the type's schema is the caller's next step.
 */
export function decodeRecord(record: RawRecord): EventEnvelope {
  const spec = requireHeader(record.headers, CloudEventHeader.SpecVersion);
  if (spec !== CLOUDEVENTS_SPEC_VERSION) {
    throw new EventDecodeError(`unsupported ce_specversion ${JSON.stringify(spec)}`, 'EVENT_SPEC_VERSION_UNSUPPORTED');
  }
  const type = requireHeader(record.headers, CloudEventHeader.Type);
  if (!isEventType(type)) throw new EventDecodeError(`unknown event type ${JSON.stringify(type)}`, 'EVENT_TYPE_UNKNOWN');
  const contentType = headerString(record.headers, CloudEventHeader.ContentType);
  if (contentType !== undefined && !contentType.startsWith(JSON_CONTENT_TYPE)) {
    throw new EventDecodeError(`unsupported content-type ${JSON.stringify(contentType)}`, 'EVENT_CONTENT_TYPE_UNSUPPORTED');
  }
  if (record.value === null || record.value.length === 0) {
    throw new EventDecodeError('record has no value', 'EVENT_VALUE_EMPTY');
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.isBuffer(record.value) ? record.value.toString('utf8') : record.value);
  } catch (error) {
    throw new EventDecodeError(`value is not JSON: ${(error as Error).message}`, 'EVENT_VALUE_NOT_JSON');
  }
  const subject = requireHeader(record.headers, CloudEventHeader.Subject);
  const key = record.key === null ? null : record.key.toString();
  if (key !== null && key !== subject) {
    throw new EventDecodeError('record key and ce_subject disagree', 'EVENT_KEY_SUBJECT_MISMATCH');
  }
  return {
    id: requireHeader(record.headers, CloudEventHeader.Id),
    type,
    source: requireHeader(record.headers, CloudEventHeader.Source),
    time: requireHeader(record.headers, CloudEventHeader.Time),
    subject,
    data: data as EventDataMap[EventType],
    traceparent: headerString(record.headers, TraceHeader.TraceParent),
    tracestate: headerString(record.headers, TraceHeader.TraceState),
  };
}
