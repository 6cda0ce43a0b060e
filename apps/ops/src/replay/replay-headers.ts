import type { IHeaders } from 'kafkajs';
import { DeadLetterHeader, headerString } from '@platform/contracts';

/** Where a replayed record was copied from. */
export interface CopiedFrom {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Kafka timestamp, ms since the epoch, as kafkajs reports it. */
  readonly timestamp: string;
}

// A dead letter's retry schedule is over: left in, these would make the consumer wait for a
// time long past or behind a record long gone.
const DROPPED_ON_REPLAY: readonly string[] = [DeadLetterHeader.RetryNotBefore, DeadLetterHeader.ParkedBehind];

function withoutRetrySchedule(headers: IHeaders | undefined): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && !DROPPED_ON_REPLAY.includes(name)) out[name] = value;
  }
  return out;
}

export function replayCount(headers: IHeaders | undefined): number {
  const parsed = Number(headerString(headers, DeadLetterHeader.ReplayCount));
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 0;
}

/**
 * A dead letter on its way back to its consumer's retry topic: every header it had (the event's,
 * the trace, its origin and last error, which the consumer replaces if it fails again), minus the
 * retry schedule, plus one more replay on the count and where this copy came from.
 */
export function deadLetterReplayHeaders(headers: IHeaders | undefined, from: CopiedFrom, run: string): IHeaders {
  return stamp(withoutRetrySchedule(headers), headers, from, run);
}

/**
 * A source-topic record copied into one consumer's retry topic. The consumer must see it as that
 * source record (its origin decides per-key order), so it gets the x-original-* headers the
 * runtime itself sets when it forwards a record; and, unless `reprocess` is false, the header
 * that makes the consumer handle it again even though its inbox has the event.
 */
export function topicReplayHeaders(headers: IHeaders | undefined, from: CopiedFrom, groupId: string, run: string, reprocess: boolean): IHeaders {
  const out = withoutRetrySchedule(headers);
  out[DeadLetterHeader.OriginalTopic] = from.topic;
  out[DeadLetterHeader.OriginalPartition] = String(from.partition);
  out[DeadLetterHeader.OriginalOffset] = from.offset;
  out[DeadLetterHeader.OriginalTimestamp] = from.timestamp;
  out[DeadLetterHeader.ConsumerGroup] = groupId;
  if (reprocess) out[DeadLetterHeader.Reprocess] = run;
  else delete out[DeadLetterHeader.Reprocess];
  return stamp(out, headers, from, run);
}

function stamp(out: IHeaders, original: IHeaders | undefined, from: CopiedFrom, run: string): IHeaders {
  out[DeadLetterHeader.ReplayCount] = String(replayCount(original) + 1);
  out[DeadLetterHeader.ReplayId] = run;
  out[DeadLetterHeader.ReplayedFrom] = `${from.topic}:${from.partition}:${from.offset}`;
  return out;
}
