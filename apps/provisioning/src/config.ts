import { DatabaseTimeouts, EnvReader, readDatabaseTimeouts } from '@platform/config';
import type { ConsumerRuntimeConfig } from '@platform/consumer-runtime';

/** drop: the workspace is gone when the account closes. archive: data kept, renamed, nobody can log in. */
export const DEPROVISION_MODES = ['drop', 'archive'] as const;
export type DeprovisionMode = (typeof DEPROVISION_MODES)[number];

export interface TenantsDatabaseConfig extends DatabaseTimeouts {
  readonly url: string;
  readonly poolSize: number;
  /** How long a step waits for a lock before giving up retriably, instead of hanging the partition. */
  readonly lockTimeoutMs: number;
}

/** provisioning's own settings; the runtime reads Kafka, the inbox database (its own; tenants live elsewhere), health and logging. */
export interface ProvisioningSettings {
  readonly tenants: TenantsDatabaseConfig;
  readonly deprovisionMode: DeprovisionMode;
}

/** The inbox (processed_events) lives in this schema of DATABASE_URL. */
export const INBOX_SCHEMA = 'provisioning';
/** Its health port in the local stack, when HEALTH_PORT is not set. */
export const DEFAULT_HEALTH_PORT = 3203;

export function readProvisioningSettings(reader: EnvReader, runtime: ConsumerRuntimeConfig): ProvisioningSettings {
  const settings: ProvisioningSettings = {
    tenants: {
      url: reader.postgresUrl('TENANTS_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/tenants'),
      poolSize: reader.int('TENANTS_DATABASE_POOL_SIZE', 5, { min: 1, max: 100 }),
      lockTimeoutMs: reader.int('TENANT_LOCK_TIMEOUT_MS', 10_000, { min: 100, max: 300_000 }),
      ...readDatabaseTimeouts(reader, 'TENANTS_DATABASE'),
    },
    deprovisionMode: reader.oneOf('DEPROVISION_MODE', DEPROVISION_MODES, 'drop'),
  };
  if (settings.tenants.url === runtime.database.url) {
    // Tenants get LOGIN roles; they must never share a database with the service's own inbox.
    reader.problem('TENANTS_DATABASE_URL must name a different database than DATABASE_URL');
  }
  return settings;
}
