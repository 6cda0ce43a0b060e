import { ConfigError, DatabaseConfig, Env, EnvReader, KafkaConfig, readDatabaseConfig, readKafkaConfig } from '@platform/config';
import { RELAY_DEFAULTS } from '@platform/outbox';

/** Everything the relay can be told from outside. Read once, then passed around. */
export interface RelayConfig {
  readonly database: DatabaseConfig;
  /** Schema of the outbox table in that database. */
  readonly schema: string;
  readonly kafka: KafkaConfig;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly health: { readonly host: string; readonly port: number };
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
  };
  const problems: string[] = [];
  try {
    reader.done();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (!SCHEMA_NAME.test(config.schema)) {
    // The schema is spliced into SQL: only a plain lower-case identifier is safe there.
    problems.push(`OUTBOX_SCHEMA must be a lower-case SQL identifier, got ${JSON.stringify(config.schema)}`);
  }
  const protocol = protocolOf(config.database.url);
  if (protocol !== undefined && protocol !== 'postgres:' && protocol !== 'postgresql:') {
    problems.push(`DATABASE_URL must be a postgres:// URL, got scheme ${JSON.stringify(protocol)}`);
  }
  if (config.kafka.brokers.length === 0) problems.push('KAFKA_BROKERS must name at least one broker');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function protocolOf(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    // EnvReader.url has already reported the malformed URL.
    return undefined;
  }
}

/** Reads the process environment: main.ts calls this, nothing else touches process.env. */
export function loadRelayConfig(): RelayConfig {
  return readRelayConfig(process.env);
}
