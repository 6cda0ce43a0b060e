/** CloudEvents 1.0 Kafka protocol binding, binary mode: attributes travel as `ce_` headers. */
export const CloudEventHeader = {
  SpecVersion: 'ce_specversion',
  Id: 'ce_id',
  Source: 'ce_source',
  Type: 'ce_type',
  Time: 'ce_time',
  Subject: 'ce_subject',
  ContentType: 'content-type',
} as const;

/** W3C trace context, carried on every record so one signup is one trace. */
export const TraceHeader = {
  TraceParent: 'traceparent',
  TraceState: 'tracestate',
} as const;

/** What the consumer runtime adds to a record it sends to a retry or dead-letter topic. */
export const DeadLetterHeader = {
  ErrorClass: 'x-error-class',
  ErrorCode: 'x-error-code',
  ErrorMessage: 'x-error-message',
  ErrorStack: 'x-error-stack',
  OriginalTopic: 'x-original-topic',
  OriginalPartition: 'x-original-partition',
  OriginalOffset: 'x-original-offset',
  OriginalTimestamp: 'x-original-timestamp',
  ConsumerGroup: 'x-consumer-group',
  Attempts: 'x-attempts',
  FirstFailureTime: 'x-first-failure-time',
  /** When a record on a retry topic becomes due; the retry consumer waits until then. */
  RetryNotBefore: 'x-retry-not-before',
  /** Incremented by every replay (ops CLI); records past the maximum are refused. */
  ReplayCount: 'x-replay-count',
  /**
   * Set on a record sent to a retry topic only to keep per-key order: an earlier event with the
   * same key is still being retried. The value names that event's original partition and offset.
   */
  ParkedBehind: 'x-parked-behind',
  /** Set by the ops CLI on every record it replays: the replay run, as named in the audit log. */
  ReplayId: 'x-replay-id',
  /** Set by the ops CLI on every record it replays: the copy's source, `topic:partition:offset`. */
  ReplayedFrom: 'x-replayed-from',
  /**
   * Set by `ops topic replay` (unless told otherwise): the consumer handles the event again even if
   * its inbox already has it, once per value (the replay run). Honoured on retry topics only.
   */
  Reprocess: 'x-reprocess',
} as const;

/** Headers of the records the ops CLI writes to its audit topic. */
export const OpsAuditHeader = {
  ContentType: 'content-type',
  Phase: 'x-audit-phase',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';
export const CLOUDEVENTS_SPEC_VERSION = '1.0';
