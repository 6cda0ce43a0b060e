import type { IHeaders } from 'kafkajs';
import { DeadLetterHeader, headerString } from '@platform/contracts';
import { describeError } from '../errors/runtime-errors';

/** Bounds keep a retry record well inside the broker's message size however deep the stack is. */
export const MAX_STACK_BYTES = 2_048;
export const MAX_MESSAGE_BYTES = 1_024;

/** The record being forwarded, as this consumer read it. */
export interface ReadRecordRef {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Kafka's record timestamp, milliseconds since the epoch, as kafkajs reports it. */
  readonly timestamp: string;
}

/** Where a record first entered this consumer: the source-topic record, the same across retry hops. */
export interface OriginRef {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
}

export interface FailureHeaderInput {
  /** The headers of the record as read, passed through untouched except for ours. */
  readonly headers: IHeaders | undefined;
  readonly record: ReadRecordRef;
  /** True when the record was read from a source topic (not from one of our retry topics). */
  readonly fromSourceTopic: boolean;
  readonly groupId: string;
  /** Handler attempts made so far, across every hop. */
  readonly attempts: number;
  readonly now: Date;
  /** Absent when a record is only parked behind an earlier one and has not failed itself. */
  readonly error?: unknown;
  /** Set for a retry topic: when the record becomes due. */
  readonly retryNotBefore?: Date;
  /** Set when parking: which earlier record (origin partition:offset) this one waits behind. */
  readonly parkedBehind?: string;
}

// Recomputed on every hop; everything else on the record travels on unchanged (trace context,
// CloudEvents attributes, the replay count of the ops CLI).
const RECOMPUTED: readonly string[] = [
  DeadLetterHeader.ConsumerGroup,
  DeadLetterHeader.Attempts,
  DeadLetterHeader.RetryNotBefore,
  DeadLetterHeader.ParkedBehind,
];
const ERROR_HEADERS: readonly string[] = [
  DeadLetterHeader.ErrorClass,
  DeadLetterHeader.ErrorCode,
  DeadLetterHeader.ErrorMessage,
  DeadLetterHeader.ErrorStack,
];
// Dropped from a source-topic record: a fresh start. x-reprocess is honoured on retry topics only,
// so a producer must not get it there by way of a failure of its own record.
const SOURCE_ONLY_DROPPED: readonly string[] = [
  DeadLetterHeader.OriginalTopic,
  DeadLetterHeader.OriginalPartition,
  DeadLetterHeader.OriginalOffset,
  DeadLetterHeader.OriginalTimestamp,
  DeadLetterHeader.FirstFailureTime,
  DeadLetterHeader.Reprocess,
];

/**
 * The origin of a record: itself when read from a source topic, else what its headers say.
 * A record on a source topic is a fresh start even if it carries x-original-* headers from an
 * earlier life (a replay from the dead-letter topic), because ordering is by source offset.
 */
export function originOf(headers: IHeaders | undefined, record: ReadRecordRef, fromSourceTopic: boolean): OriginRef {
  const self: OriginRef = { topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp };
  if (fromSourceTopic) return self;
  const topic = headerString(headers, DeadLetterHeader.OriginalTopic);
  const partition = Number(headerString(headers, DeadLetterHeader.OriginalPartition));
  const offset = headerString(headers, DeadLetterHeader.OriginalOffset);
  if (!topic || !Number.isInteger(partition) || !offset || !/^\d+$/.test(offset)) return self;
  return { topic, partition, offset, timestamp: headerString(headers, DeadLetterHeader.OriginalTimestamp) ?? record.timestamp };
}

export function buildFailureHeaders(input: FailureHeaderInput): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined || RECOMPUTED.includes(name)) continue;
    if (input.fromSourceTopic && SOURCE_ONLY_DROPPED.includes(name)) continue;
    if (input.error !== undefined && ERROR_HEADERS.includes(name)) continue;
    out[name] = value;
  }

  const origin = originOf(input.headers, input.record, input.fromSourceTopic);
  out[DeadLetterHeader.OriginalTopic] = origin.topic;
  out[DeadLetterHeader.OriginalPartition] = String(origin.partition);
  out[DeadLetterHeader.OriginalOffset] = origin.offset;
  out[DeadLetterHeader.OriginalTimestamp] = origin.timestamp;
  out[DeadLetterHeader.ConsumerGroup] = input.groupId;
  out[DeadLetterHeader.Attempts] = String(input.attempts);

  if (input.error !== undefined) {
    const failure = describeError(input.error);
    out[DeadLetterHeader.ErrorClass] = failure.errorClass;
    out[DeadLetterHeader.ErrorCode] = failure.code;
    out[DeadLetterHeader.ErrorMessage] = truncateUtf8(failure.message, MAX_MESSAGE_BYTES);
    out[DeadLetterHeader.ErrorStack] = truncateUtf8(failure.stack, MAX_STACK_BYTES);
    if (!out[DeadLetterHeader.FirstFailureTime]) out[DeadLetterHeader.FirstFailureTime] = input.now.toISOString();
  }
  if (input.retryNotBefore) out[DeadLetterHeader.RetryNotBefore] = input.retryNotBefore.toISOString();
  if (input.parkedBehind) out[DeadLetterHeader.ParkedBehind] = input.parkedBehind;
  return out;
}

/** When a retry record becomes due, in ms since the epoch; ISO 8601 or plain epoch millis accepted. */
export function retryNotBeforeMs(headers: IHeaders | undefined): number | undefined {
  const due = readRetryNotBefore(headers);
  return due.kind === 'at' ? due.ms : undefined;
}

/** The x-retry-not-before header as read: absent, a time, or a value that is not a time at all. */
export type RetryNotBefore = { readonly kind: 'absent' } | { readonly kind: 'at'; readonly ms: number; readonly raw: string } | { readonly kind: 'unparsable'; readonly raw: string };

export function readRetryNotBefore(headers: IHeaders | undefined): RetryNotBefore {
  const raw = headerString(headers, DeadLetterHeader.RetryNotBefore);
  if (!raw) return { kind: 'absent' };
  const parsed = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(parsed) ? { kind: 'at', ms: parsed, raw } : { kind: 'unparsable', raw };
}

/** Handler attempts recorded by earlier hops; 0 for a record that has not failed yet. */
export function priorAttempts(headers: IHeaders | undefined, fromSourceTopic: boolean): number {
  if (fromSourceTopic) return 0;
  const parsed = Number(headerString(headers, DeadLetterHeader.Attempts));
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 0;
}

/** Cuts to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}
