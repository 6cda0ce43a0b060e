export { KafkaEventServer, KafkaEventTransport, KafkaEventServerStatus } from './server/kafka-event-server';
export type { KafkaEventServerOptions } from './server/kafka-event-server-options';
export { runConsumerApp } from './server/run-consumer-app';
export type { ConsumerAppOptions } from './server/run-consumer-app';
export { runConsumer } from './entry/run-consumer';
export type { ConsumerContext, ConsumerDefinition, ConsumerServerOptions, ConsumerStart } from './entry/run-consumer';
export { readConsumerConfig } from './entry/consumer-config';
export type { ConsumerConfig, ConsumerConfigDefinition, ConsumerRuntimeConfig, SettingsReader } from './entry/consumer-config';
export {
  DEFAULT_FETCH_MAX_BYTES,
  DEFAULT_FETCH_MAX_BYTES_PER_PARTITION,
  DEFAULT_FETCH_MAX_WAIT_MS,
  DEFAULT_MAX_RECORDS_PER_COMMIT,
  DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from './server/kafka-event-server-options';
export type { EventContext } from './server/event-context';
export { EventHandler } from './server/event-handler.decorator';
export type { EventHandlerMethod } from './server/event-handler.decorator';
export { EventPublisher } from './publisher/event-publisher';
export type { EventSink } from './publisher/event-sink';
export { deterministicEventId, PLATFORM_EVENT_ID_NAMESPACE } from './publisher/deterministic-event-id';
export type { RetryPolicy } from './retry/retry-policy';
export { DEFAULT_RETRY_POLICY } from './retry/retry-policy';
export type { RuntimeHooks, RecordInfo, IgnoreReason, RetryReason } from './hooks/runtime-hooks';
export type { LogLevelName, JsonLineLoggerOptions } from './logging/runtime-logger';
export { jsonLineLogger } from './logging/runtime-logger';
export type { OrderingMode } from './ordering/ordering-mode';
export { HealthPath } from '@platform/observability';
export { ConsumerRuntimeConfigError, FailureForwardError, MissingTopicsError, PublishError } from './errors/runtime-errors';
export type { RetentionSettings } from './inbox/inbox-retention';
export { DEFAULT_INBOX_RETENTION, readInboxRetention, readRetention } from './inbox/inbox-retention';
export { PeriodicPrune } from './inbox/periodic-prune';
export type { PruneOnce } from './inbox/periodic-prune';
export { UNKNOWN_EVENT_TYPE } from './telemetry/runtime-metrics';
export { partitionLags } from './telemetry/partition-lags';
export type { EndOffsets, PartitionLag } from './telemetry/partition-lags';
