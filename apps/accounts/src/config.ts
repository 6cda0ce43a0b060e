import {
  ConfigError,
  DatabaseConfig,
  Env,
  EnvReader,
  HttpConfig,
  KafkaConfig,
  LogConfig,
  readDatabaseConfig,
  readHttpConfig,
  readKafkaConfig,
  readLogConfig,
} from '@platform/config';
import { RetentionSettings, readInboxRetention } from '@platform/consumer-runtime';
import type { RequestTimeouts } from './back-pressure/request-timeouts';

/** Injection token of the AccountsConfig, for the few providers that need a setting. */
export const ACCOUNTS_CONFIG = Symbol('ACCOUNTS_CONFIG');

/** Everything the accounts service can be told from outside. Read once, then passed around. */
export interface AccountsConfig {
  readonly database: AccountsDatabaseConfig;
  readonly http: HttpConfig;
  readonly kafka: KafkaConfig;
  readonly log: LogConfig;
  /** Largest accepted request body in bytes; bigger bodies are refused with 413 before parsing. */
  readonly bodyLimitBytes: number;
  /** Off in HTTP-only tests and tools: the service then neither joins the consumer group nor needs the broker. */
  readonly inboxEnabled: boolean;
  /** How long the inbox keeps applied event ids (INBOX_RETENTION_DAYS) and how often it prunes. */
  readonly inboxRetention: RetentionSettings;
  /** How long an Idempotency-Key of POST /v1/accounts is remembered; at least the 24 hours the draft suggests. */
  readonly idempotencyTtlHours: number;
  /** After this long an unfinished Idempotency-Key claim is presumed dead and a retry may take it over. */
  readonly idempotencyLeaseSeconds: number;
  /** How long a verified API key is remembered; a revocation takes effect within this. 0 = look up every request. */
  readonly apiKeyCacheTtlMs: number;
  /** Requests per second an API key may make when the key sets no limit of its own. */
  readonly rateLimitPerSecond: number;
  readonly backPressure: BackPressureConfig;
  /** How long a client may take to send its headers, its whole request, or its next request on a kept connection. */
  readonly requestTimeouts: RequestTimeouts;
}

/** When the service answers 503 instead of queueing work it cannot finish in time. */
export interface BackPressureConfig {
  /** Requests in progress at once; beyond it, 503 before the body is even read. */
  readonly maxInFlight: number;
  /** Queries allowed to wait for a pooled connection before new requests are refused. */
  readonly maxPoolWaiters: number;
  readonly poolRetryAfterSeconds: number;
  /** Unpublished outbox events at which writes are refused until the relay catches up. */
  readonly maxOutboxBacklog: number;
  readonly backlogRetryAfterSeconds: number;
  /** How often the outbox backlog is counted. */
  readonly sampleIntervalMs: number;
}

/** The primary, plus the streaming replicas that reads tolerant of a little lag may use. */
export interface AccountsDatabaseConfig extends DatabaseConfig {
  /** Empty when every query goes to the primary. */
  readonly replicaUrls: readonly string[];
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;
export const DEFAULT_RATE_LIMIT_PER_SECOND = 100;

/**
 * The only place that looks at the environment. Every problem is collected before failing, so
 * a bad deployment is fixed in one round; the thrown ConfigError names each variable.
 */
export function readAccountsConfig(env: Env): AccountsConfig {
  const reader = new EnvReader(env);
  const config: AccountsConfig = {
    database: { ...readDatabaseConfig(reader, 'accounts'), replicaUrls: readReplicaUrls(reader) },
    http: readHttpConfig(reader, 3000),
    kafka: readKafkaConfig(reader, 'accounts'),
    log: readLogConfig(reader),
    // Sign-ups are a few hundred bytes; a small limit keeps a slow or hostile client from
    // making the service buffer megabytes per request.
    bodyLimitBytes: reader.int('BODY_LIMIT', DEFAULT_BODY_LIMIT_BYTES, { min: 1024, max: 10 * 1024 * 1024 }),
    inboxEnabled: reader.bool('ACCOUNTS_INBOX_ENABLED', true),
    inboxRetention: readInboxRetention(reader),
    // Clients retry within minutes; a day covers overnight batch retries. Shorter would break the promise.
    idempotencyTtlHours: reader.int('IDEMPOTENCY_TTL_HOURS', DEFAULT_IDEMPOTENCY_TTL_HOURS, { min: 24, max: 24 * 30 }),
    // Far beyond any request's life (the pool gives up after 5 s), so a live request is never overtaken.
    idempotencyLeaseSeconds: reader.int('IDEMPOTENCY_LEASE_SECONDS', 60, { min: 10, max: 3600 }),
    apiKeyCacheTtlMs: reader.int('API_KEY_CACHE_TTL_MS', 5_000, { min: 0, max: 300_000 }),
    rateLimitPerSecond: reader.int('RATE_LIMIT_PER_SECOND', DEFAULT_RATE_LIMIT_PER_SECOND, { min: 1, max: 1_000_000 }),
    backPressure: {
      // A few waiters per connection keeps the pool busy between queries; beyond that, waiting
      // only adds latency until clients time out and retry, which is how overload snowballs.
      // Sixty-four requests at ~2 ms each is a queue of about 60 ms: accepted requests stay fast.
      maxInFlight: reader.int('BACKPRESSURE_MAX_IN_FLIGHT', 64, { min: 1, max: 100_000 }),
      maxPoolWaiters: reader.int('BACKPRESSURE_MAX_POOL_WAITERS', 64, { min: 1, max: 100_000 }),
      poolRetryAfterSeconds: reader.int('BACKPRESSURE_POOL_RETRY_AFTER', 1, { min: 1, max: 3600 }),
      // About ten seconds of relay work at the measured drain rate.
      maxOutboxBacklog: reader.int('BACKPRESSURE_MAX_OUTBOX_BACKLOG', 200_000, { min: 1, max: 100_000_000 }),
      backlogRetryAfterSeconds: reader.int('BACKPRESSURE_BACKLOG_RETRY_AFTER', 5, { min: 1, max: 3600 }),
      sampleIntervalMs: reader.int('BACKPRESSURE_SAMPLE_INTERVAL_MS', 1000, { min: 50, max: 60_000 }),
    },
    // A signup is a few hundred bytes: even a phone on a bad network sends it in well under a
    // second. The bounds are what a slow client may hold a connection and an in-flight slot for.
    requestTimeouts: {
      headersMs: reader.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, { min: 100, max: 300_000 }),
      requestMs: reader.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, { min: 100, max: 600_000 }),
      // Node's default. Behind a load balancer that keeps idle connections longer (60 s is
      // common), set it above the balancer's, so the balancer never sends on a closing connection.
      keepAliveMs: reader.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, { min: 100, max: 600_000 }),
    },
  };
  if (config.requestTimeouts.headersMs > config.requestTimeouts.requestMs) {
    reader.problem(`HTTP_HEADERS_TIMEOUT_MS (${config.requestTimeouts.headersMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${config.requestTimeouts.requestMs}): the headers are part of the request`);
  }
  reader.done();
  return config;
}

/**
 * REPLICA_DATABASE_URLS, comma-separated. Each entry gets DATABASE_URL's own check, so a typo
 * fails start-up with the entry named instead of failing the first list request.
 */
function readReplicaUrls(reader: EnvReader): string[] {
  return reader.list('REPLICA_DATABASE_URLS', []).map((url, index) => {
    const name = `REPLICA_DATABASE_URLS entry ${index + 1}`;
    const entry = new EnvReader({ [name]: url });
    entry.postgresUrl(name);
    try {
      entry.done();
    } catch (error) {
      for (const problem of (error as ConfigError).problems) reader.problem(problem);
    }
    return url;
  });
}

/** Reads the process environment: main.ts and migrate.ts call this, nothing else touches process.env. */
export function loadAccountsConfig(): AccountsConfig {
  return readAccountsConfig(process.env);
}
