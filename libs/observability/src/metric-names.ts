/**
 * Every metric the platform's own code records, by its OpenTelemetry name. docs/observability.md
 * lists them with their meaning, labels and the Prometheus series they become (dots become
 * underscores, counters gain `_total`, histograms `_bucket`, `_sum` and `_count`; durations are in
 * seconds, as the conventions want, without a unit suffix in the name).
 *
 * PostgreSQL client metrics come from the pg instrumentation (`db.client.operation.duration`,
 * while tracing) and are not named here. The HTTP server duration is below, apart: its name is
 * the conventions', shared with the HTTP instrumentation that records it while tracing.
 */
export const MetricName = {
  /** Records whose handler succeeded. */
  ConsumerProcessed: 'consumer.records.processed',
  /** Failed handler attempts, including those that will be retried. */
  ConsumerFailed: 'consumer.records.failed',
  /** Retries scheduled: in process, on a retry topic, in place, or parked behind an earlier event. */
  ConsumerRetried: 'consumer.records.retried',
  ConsumerDeadLettered: 'consumer.records.dead_lettered',
  /** Dead-letter writes not acknowledged after the producer's retries; the record stays uncommitted and its partition paused. */
  ConsumerDeadLetterFailed: 'consumer.records.dead_letter_failed',
  /** Records skipped without a handler run: duplicates and types this consumer has no handler for. */
  ConsumerIgnored: 'consumer.records.ignored',
  /** Handler time per record (the conventions' process duration). */
  ProcessDuration: 'messaging.process.duration',
  /** Records between a group's committed offset and the end of each partition it consumes. */
  ConsumerLag: 'messaging.kafka.consumer.lag',
  /** Producer sends, by the conventions' client operation duration (operation name `send`). */
  ClientOperationDuration: 'messaging.client.operation.duration',

  /** Requests the accounts service refused at its in-flight cap, before routing (not in the HTTP duration metric). */
  HttpServerRequestsShed: 'http.server.requests.shed',
  /** Requests holding a slot of the accounts in-flight cap: from the request event to the response's or the connection's close. */
  HttpServerActiveRequests: 'http.server.active_requests',

  OutboxBacklog: 'outbox.backlog',
  OutboxOldestEventAge: 'outbox.oldest_event.age',
  RelayActive: 'outbox.relay.active',
  RelayKafkaUp: 'outbox.relay.kafka.up',
  RelayPublished: 'outbox.relay.published',
  RelayBatches: 'outbox.relay.batches',

  SmtpSendDuration: 'smtp.send.duration',
  SmtpCircuitOpen: 'smtp.circuit_breaker.open',
  SmtpCircuitOpened: 'smtp.circuit_breaker.opened',
} as const;

/** Bucket bounds in seconds for handler, send and SMTP durations: 1 ms to 30 s. */
export const DURATION_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The HTTP server duration: recorded by observeHttpRequests, or by the HTTP instrumentation while tracing. */
export const HTTP_SERVER_DURATION_METRIC = 'http.server.request.duration';

/**
 * Its buckets: the conventions' advice plus 0.15 and 0.2 s, so that the API's 200 ms latency
 * objective (the sign-up alert, the overload run's p99) falls on a bucket bound instead of
 * somewhere inside the 0.1–0.25 s bucket, where a p99 of 150 ms and one of 240 ms look the same.
 */
export const HTTP_SERVER_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
