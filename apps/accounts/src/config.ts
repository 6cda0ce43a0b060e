import {
  DatabaseConfig,
  Env,
  EnvReader,
  HttpConfig,
  KafkaConfig,
  readDatabaseConfig,
  readHttpConfig,
  readKafkaConfig,
} from '@platform/config';

/** Injection token of the AccountsConfig, for the few providers that need a setting. */
export const ACCOUNTS_CONFIG = Symbol('ACCOUNTS_CONFIG');

/** Everything the accounts service can be told from outside. Read once, then passed around. */
export interface AccountsConfig {
  readonly database: DatabaseConfig;
  readonly http: HttpConfig;
  readonly kafka: KafkaConfig;
  /** Largest accepted request body in bytes; bigger bodies are refused with 413 before parsing. */
  readonly bodyLimitBytes: number;
  /** Off in HTTP-only tests and tools: the service then neither joins the consumer group nor needs the broker. */
  readonly inboxEnabled: boolean;
  /** How long an Idempotency-Key of POST /v1/accounts is remembered; at least the 24 hours the draft suggests. */
  readonly idempotencyTtlHours: number;
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;

/**
 * The only place that looks at the environment. Every problem is collected before failing, so
 * a bad deployment is fixed in one round; the thrown ConfigError names each variable.
 */
export function readAccountsConfig(env: Env): AccountsConfig {
  const reader = new EnvReader(env);
  const config: AccountsConfig = {
    database: readDatabaseConfig(reader, 'accounts'),
    http: readHttpConfig(reader, 3000),
    kafka: readKafkaConfig(reader, 'accounts'),
    // Sign-ups are a few hundred bytes; a small limit keeps a slow or hostile client from
    // making the service buffer megabytes per request.
    bodyLimitBytes: reader.int('BODY_LIMIT', DEFAULT_BODY_LIMIT_BYTES, { min: 1024, max: 10 * 1024 * 1024 }),
    inboxEnabled: reader.bool('ACCOUNTS_INBOX_ENABLED', true),
    // Clients retry within minutes; a day covers overnight batch retries. Shorter would break the promise.
    idempotencyTtlHours: reader.int('IDEMPOTENCY_TTL_HOURS', DEFAULT_IDEMPOTENCY_TTL_HOURS, { min: 24, max: 24 * 30 }),
  };
  reader.done();
  return config;
}

/** Reads the process environment: main.ts and migrate.ts call this, nothing else touches process.env. */
export function loadAccountsConfig(): AccountsConfig {
  return readAccountsConfig(process.env);
}
