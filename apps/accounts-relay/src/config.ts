import { DatabaseConfig, Env, EnvReader, HttpConfig, KafkaConfig, LogConfig, readDatabaseConfig, readKafkaConfig, readLogConfig } from '@platform/config';
import { RELAY_DEFAULTS } from '@platform/outbox';

/** Everything the relay can be told from outside. Read once, then passed around. */
export interface RelayConfig {
  readonly database: DatabaseConfig;
  /** Schema of the outbox table in that database. */
  readonly schema: string;
  readonly kafka: KafkaConfig;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly health: HttpConfig;
  readonly log: LogConfig;
}

export const DEFAULT_HEALTH_PORT = 3100;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The only place that looks at the environment. Every problem is collected before failing, so
 * a bad deployment is fixed in one round; the thrown ConfigError names each variable.
 */
export function readRelayConfig(env: Env): RelayConfig {
  const reader = new EnvReader(env);
  const config: RelayConfig = {
    database: readDatabaseConfig(reader, 'accounts'),
    schema: reader.string('OUTBOX_SCHEMA', 'accounts'),
    kafka: readKafkaConfig(reader, 'accounts-relay'),
    // Bounded above so one batch stays one modest produce request (see DEFAULT_MAX_BATCH_BYTES).
    batchSize: reader.int('RELAY_BATCH_SIZE', RELAY_DEFAULTS.batchSize, { min: 1, max: 10_000 }),
    pollIntervalMs: reader.int('RELAY_POLL_INTERVAL_MS', RELAY_DEFAULTS.pollIntervalMs, { min: 10, max: 60_000 }),
    health: {
      host: reader.string('HOST', '127.0.0.1'),
      port: reader.int('RELAY_HEALTH_PORT', DEFAULT_HEALTH_PORT, { min: 0, max: 65_535 }),
    },
    log: readLogConfig(reader),
  };
  if (!SCHEMA_NAME.test(config.schema)) {
    // The schema is spliced into SQL: only a plain lower-case identifier is safe there.
    reader.problem(`OUTBOX_SCHEMA must be a lower-case SQL identifier, got ${JSON.stringify(config.schema)}`);
  }
  reader.done();
  return config;
}

/** Reads the process environment: main.ts calls this, nothing else touches process.env. */
export function loadRelayConfig(): RelayConfig {
  return readRelayConfig(process.env);
}
