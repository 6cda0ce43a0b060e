import { DatabaseConfig, DatabaseTimeouts, Env, EnvReader, HttpConfig, KafkaConfig, LogConfig, readDatabaseConfig, readDatabaseTimeouts, readHealthConfig, readKafkaConfig, readLogConfig } from '@platform/config';
import { Consumer } from '@platform/contracts';
import { RetentionSettings, readInboxRetention } from '@platform/consumer-runtime';

/** drop: the workspace is gone when the account closes. archive: data kept, renamed, nobody can log in. */
export const DEPROVISION_MODES = ['drop', 'archive'] as const;
export type DeprovisionMode = (typeof DEPROVISION_MODES)[number];

export interface TenantsDatabaseConfig extends DatabaseTimeouts {
  readonly url: string;
  readonly poolSize: number;
  /** How long a step waits for a lock before giving up retriably, instead of hanging the partition. */
  readonly lockTimeoutMs: number;
}

export interface ProvisioningConfig {
  readonly kafka: KafkaConfig;
  /** provisioning's own database: the runtime's inbox. Tenants live elsewhere. */
  readonly database: DatabaseConfig;
  readonly inboxSchema: string;
  /** How long the inbox keeps handled event ids (INBOX_RETENTION_DAYS) and how often it prunes. */
  readonly inboxRetention: RetentionSettings;
  readonly health: HttpConfig;
  readonly log: LogConfig;
  readonly tenants: TenantsDatabaseConfig;
  readonly deprovisionMode: DeprovisionMode;
}

/** The inbox (processed_events) lives in this schema of DATABASE_URL. */
export const INBOX_SCHEMA = 'provisioning';

/** Read once at start-up; every problem is reported in one ConfigError. */
export function readProvisioningConfig(env: Env): ProvisioningConfig {
  const reader = new EnvReader(env);
  const config: ProvisioningConfig = {
    kafka: readKafkaConfig(reader, Consumer.Provisioning),
    database: readDatabaseConfig(reader, 'provisioning'),
    inboxSchema: INBOX_SCHEMA,
    inboxRetention: readInboxRetention(reader),
    health: readHealthConfig(reader, 3203),
    log: readLogConfig(reader),
    tenants: {
      url: reader.postgresUrl('TENANTS_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/tenants'),
      poolSize: reader.int('TENANTS_DATABASE_POOL_SIZE', 5, { min: 1, max: 100 }),
      lockTimeoutMs: reader.int('TENANT_LOCK_TIMEOUT_MS', 10_000, { min: 100, max: 300_000 }),
      ...readDatabaseTimeouts(reader, 'TENANTS_DATABASE'),
    },
    deprovisionMode: reader.oneOf('DEPROVISION_MODE', DEPROVISION_MODES, 'drop'),
  };
  if (config.tenants.url === config.database.url) {
    // Tenants get LOGIN roles; they must never share a database with the service's own inbox.
    reader.problem('TENANTS_DATABASE_URL must name a different database than DATABASE_URL');
  }
  reader.done();
  return config;
}
