import { DatabaseConfig, Env, EnvReader, HttpConfig, KafkaConfig, LogConfig, readDatabaseConfig, readHealthConfig, readKafkaConfig, readLogConfig } from '@platform/config';
import { Consumer } from '@platform/contracts';
import { DEFAULT_POLICY_FILE } from './rules/verdict-policy';
import { RetentionSettings, readInboxRetention } from '@platform/consumer-runtime';

export interface AbuseScanConfig {
  readonly kafka: KafkaConfig;
  readonly database: DatabaseConfig;
  readonly inboxSchema: string;
  /** How long the inbox keeps handled event ids (INBOX_RETENTION_DAYS) and how often it prunes. */
  readonly inboxRetention: RetentionSettings;
  readonly health: HttpConfig;
  readonly log: LogConfig;
  /** The rules' weights and knobs and the verdict thresholds; validated at start-up by loadPolicy. */
  readonly policyFile: string;
}

/** The inbox (processed_events) lives in this schema of DATABASE_URL. */
export const INBOX_SCHEMA = 'abuse_scan';

/** Read once at start-up; every problem is reported in one ConfigError. */
export function readAbuseScanConfig(env: Env): AbuseScanConfig {
  const reader = new EnvReader(env);
  const config: AbuseScanConfig = {
    kafka: readKafkaConfig(reader, Consumer.AbuseScan),
    database: readDatabaseConfig(reader, 'abuse_scan'),
    inboxSchema: INBOX_SCHEMA,
    inboxRetention: readInboxRetention(reader),
    health: readHealthConfig(reader, 3202),
    log: readLogConfig(reader),
    policyFile: reader.string('ABUSE_RULES_FILE', DEFAULT_POLICY_FILE),
  };
  reader.done();
  return config;
}
