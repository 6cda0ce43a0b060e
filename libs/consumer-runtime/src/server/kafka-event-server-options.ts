import type { Pool } from 'pg';
import type { KafkaConfig } from '@platform/config';
import type { ConsumerDeclaration } from '@platform/contracts';
import { ConsumerRuntimeConfigError } from '../errors/runtime-errors';
import type { RuntimeHooks } from '../hooks/runtime-hooks';
import { DEFAULT_INBOX_RETENTION, RetentionSettings } from '../inbox/inbox-retention';
import { SCHEMA_NAME_PATTERN } from '../inbox/runtime-schema';
import type { PlatformLogger } from '@platform/observability';
import { childLogger, jsonLineLogger } from '../logging/runtime-logger';
import { ORDERING_MODES, OrderingMode } from '../ordering/ordering-mode';
import { MAX_RUN_RECORDS } from '../pipeline/fast-lane';
import { RetryPolicy, resolveRetryPolicy } from '../retry/retry-policy';

export interface KafkaEventServerOptions {
  /** Which consumer this is: group id, source topics, retry delays. Topics come only from here. */
  consumer: ConsumerDeclaration;
  kafka: KafkaConfig;
  /**
   * Idempotency store: "<schema>".processed_events (and parked_keys), created if missing at start.
   * Event ids are kept `retentionMs` (default 35 days, the redelivery window) and pruned every
   * `pruneIntervalMs` (default an hour).
   */
  inbox: { pool: Pool; schema: string } & Partial<RetentionSettings>;
  /** Liveness and readiness probes on their own port; none when absent. */
  health?: { host: string; port: number };
  /** In-process attempts (default 3) and backoff (base 100 ms, max 2 s, full jitter). */
  retry?: Partial<RetryPolicy>;
  /** Partitions processed at the same time; records within a partition are always sequential. Default 3. */
  partitionsConsumedConcurrently?: number;
  /** How long close() waits for in-flight records before disconnecting anyway. Default 30000. */
  shutdownTimeoutMs?: number;
  hooks?: Partial<RuntimeHooks>;
  /** Default: JSON lines on stdout at info. */
  logger?: PlatformLogger;
  /** Per-key order under failure; see ordering-mode.ts. Default 'park'. */
  ordering?: OrderingMode;
  /**
   * Longest a fetch waits for new records. Also bounds how late a resumed retry partition is
   * picked up, since the next fetch starts only when the current one returns. Default 1000.
   */
  fetchMaxWaitMs?: number;
  /**
   * Most bytes one fetch brings back per partition, and in all. They bound the records a process
   * holds at once, hence its memory (kafkajs decodes a whole fetch before handing it over).
   * Defaults 262144 and 1048576, well under kafkajs' own 1 MB and 10 MB: with those a consumer
   * at full speed grew past 250 MB resident, with these it stays under 150 MB (see the benchmark
   * in docs/consumer-runtime.md), for no throughput lost once handlers do any work.
   */
  fetchMaxBytesPerPartition?: number;
  fetchMaxBytes?: number;
  /**
   * Most records whose inbox claims share one transaction in the fast lane (see the docs, "Fast
   * lane"). Runs are sized so their handlers take about 50 ms, so this only matters when a handler
   * can block for long: the records before it in its run stay uncommitted until it returns, and a
   * crash meanwhile handles them again. 1 commits after every handler, as if there were no lane.
   * Default 500.
   */
  maxRecordsPerCommit?: number;
}

export interface ResolvedOptions {
  readonly consumer: ConsumerDeclaration;
  readonly kafka: KafkaConfig;
  readonly inbox: { readonly pool: Pool; readonly schema: string } & RetentionSettings;
  readonly health?: { readonly host: string; readonly port: number };
  readonly retry: RetryPolicy;
  readonly partitionsConsumedConcurrently: number;
  readonly shutdownTimeoutMs: number;
  readonly hooks: Partial<RuntimeHooks>;
  readonly logger: PlatformLogger;
  readonly ordering: OrderingMode;
  readonly fetchMaxWaitMs: number;
  readonly fetchMaxBytesPerPartition: number;
  readonly fetchMaxBytes: number;
  readonly maxRecordsPerCommit: number;
}

export const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = 3;
const HOUR_MS = 60 * 60 * 1000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
export const DEFAULT_FETCH_MAX_WAIT_MS = 1_000;
export const DEFAULT_FETCH_MAX_BYTES_PER_PARTITION = 262_144;
export const DEFAULT_FETCH_MAX_BYTES = 1_048_576;
export const DEFAULT_MAX_RECORDS_PER_COMMIT = MAX_RUN_RECORDS;

/** Checks everything at construction and reports every problem at once, like the config lib. */
export function resolveOptions(options: KafkaEventServerOptions): ResolvedOptions {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const { consumer, kafka, inbox } = options;

  check(!!consumer?.groupId, 'consumer.groupId is required');
  check(!!consumer?.topics?.length, 'consumer.topics must name at least one topic');
  check(
    Array.isArray(consumer?.retryDelaysMs) && consumer.retryDelaysMs.every((d) => Number.isFinite(d) && d >= 0),
    'consumer.retryDelaysMs must be a list of non-negative numbers',
  );
  check(!!kafka?.brokers?.length, 'kafka.brokers must name at least one broker');
  check(!!inbox?.pool, 'inbox.pool is required');
  check(SCHEMA_NAME_PATTERN.test(inbox?.schema ?? ''), `inbox.schema must match ${SCHEMA_NAME_PATTERN}, got ${JSON.stringify(inbox?.schema)}`);
  const inboxRetention: RetentionSettings = {
    retentionMs: inbox?.retentionMs ?? DEFAULT_INBOX_RETENTION.retentionMs,
    pruneIntervalMs: inbox?.pruneIntervalMs ?? DEFAULT_INBOX_RETENTION.pruneIntervalMs,
  };
  // Under an hour, ids could be forgotten while their events are still being retried.
  check(Number.isFinite(inboxRetention.retentionMs) && inboxRetention.retentionMs >= HOUR_MS, 'inbox.retentionMs must be at least 3600000 (an hour)');
  check(Number.isFinite(inboxRetention.pruneIntervalMs) && inboxRetention.pruneIntervalMs >= 1_000, 'inbox.pruneIntervalMs must be at least 1000');

  const retry = resolveRetryPolicy(options.retry);
  check(Number.isInteger(retry.attempts) && retry.attempts >= 1, 'retry.attempts must be an integer of at least 1');
  check(retry.baseDelayMs >= 0 && retry.maxDelayMs >= retry.baseDelayMs, 'retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs');

  const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY;
  check(Number.isInteger(partitionsConsumedConcurrently) && partitionsConsumedConcurrently >= 1, 'partitionsConsumedConcurrently must be an integer of at least 1');
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  check(Number.isFinite(shutdownTimeoutMs) && shutdownTimeoutMs >= 0, 'shutdownTimeoutMs must be a non-negative number');
  const ordering = options.ordering ?? 'park';
  check(ORDERING_MODES.includes(ordering), `ordering must be one of ${ORDERING_MODES.join(', ')}`);
  const fetchMaxWaitMs = options.fetchMaxWaitMs ?? DEFAULT_FETCH_MAX_WAIT_MS;
  check(Number.isInteger(fetchMaxWaitMs) && fetchMaxWaitMs >= 10, 'fetchMaxWaitMs must be an integer of at least 10');
  const fetchMaxBytesPerPartition = options.fetchMaxBytesPerPartition ?? DEFAULT_FETCH_MAX_BYTES_PER_PARTITION;
  const fetchMaxBytes = options.fetchMaxBytes ?? DEFAULT_FETCH_MAX_BYTES;
  // Below one record's size a fetch could bring back nothing; 64 KB is a comfortable floor.
  check(Number.isInteger(fetchMaxBytesPerPartition) && fetchMaxBytesPerPartition >= 65_536, 'fetchMaxBytesPerPartition must be an integer of at least 65536');
  check(Number.isInteger(fetchMaxBytes) && fetchMaxBytes >= fetchMaxBytesPerPartition, 'fetchMaxBytes must be an integer of at least fetchMaxBytesPerPartition');
  const maxRecordsPerCommit = options.maxRecordsPerCommit ?? DEFAULT_MAX_RECORDS_PER_COMMIT;
  check(Number.isInteger(maxRecordsPerCommit) && maxRecordsPerCommit >= 1, 'maxRecordsPerCommit must be an integer of at least 1');
  if (options.health) {
    const { port, host } = options.health;
    check(Number.isInteger(port) && port >= 0 && port <= 65535, 'health.port must be an integer between 0 and 65535');
    check(!!host, 'health.host is required when health is set');
  }
  if (problems.length > 0) throw new ConsumerRuntimeConfigError(problems);

  const logger = childLogger(options.logger ?? jsonLineLogger(), { consumer: consumer.name, groupId: consumer.groupId });
  return {
    consumer,
    kafka,
    inbox: { pool: inbox.pool, schema: inbox.schema, ...inboxRetention },
    health: options.health,
    retry,
    partitionsConsumedConcurrently,
    shutdownTimeoutMs,
    hooks: options.hooks ?? {},
    logger,
    ordering,
    fetchMaxWaitMs,
    fetchMaxBytesPerPartition,
    fetchMaxBytes,
    maxRecordsPerCommit,
  };
}
