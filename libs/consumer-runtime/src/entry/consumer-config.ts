import { DatabaseConfig, Env, EnvReader, HttpConfig, KafkaConfig, LogConfig, readDatabaseConfig, readHealthConfig, readKafkaConfig, readLogConfig } from '@platform/config';
import type { ConsumerDeclaration } from '@platform/contracts';
import { RetentionSettings, readInboxRetention } from '../inbox/inbox-retention';

/** What every consumer app reads the same way; the runtime reads it, the app never does. */
export interface ConsumerRuntimeConfig {
  /** KAFKA_*: brokers and security; the client id is the consumer's name. */
  readonly kafka: KafkaConfig;
  /** DATABASE_*: the database of the app's inbox. */
  readonly database: DatabaseConfig;
  /** The inbox (processed_events) lives in this schema of DATABASE_URL. */
  readonly inboxSchema: string;
  /** How long the inbox keeps handled event ids (INBOX_RETENTION_DAYS) and how often it prunes. */
  readonly inboxRetention: RetentionSettings;
  readonly health: HttpConfig;
  readonly log: LogConfig;
}

/** Reads the app's own variables; it may check them against the runtime's (reader.problem). */
export type SettingsReader<S> = (reader: EnvReader, runtime: ConsumerRuntimeConfig) => S;

/** The part of a consumer's definition that its configuration comes from. */
export interface ConsumerConfigDefinition<S> {
  readonly consumer: ConsumerDeclaration;
  /** The inbox's schema, and the database DATABASE_URL names by default in the local stack. */
  readonly inboxSchema: string;
  /** HEALTH_PORT when unset: the app's port in the local stack (tools/dev/stack.ts). */
  readonly healthPort: number;
  readonly settings?: SettingsReader<S>;
}

export interface ConsumerConfig<S> {
  readonly runtime: ConsumerRuntimeConfig;
  readonly settings: S;
}

/**
 * Read once at start-up, the runtime's variables and the app's through one reader, so one
 * ConfigError names every bad variable whichever side reads it.
 */
export function readConsumerConfig<S>(env: Env, definition: ConsumerConfigDefinition<S>): ConsumerConfig<S> {
  const reader = new EnvReader(env);
  const runtime: ConsumerRuntimeConfig = {
    kafka: readKafkaConfig(reader, definition.consumer.name),
    database: readDatabaseConfig(reader, definition.inboxSchema),
    inboxSchema: definition.inboxSchema,
    inboxRetention: readInboxRetention(reader),
    health: readHealthConfig(reader, definition.healthPort),
    log: readLogConfig(reader),
  };
  const settings = definition.settings ? definition.settings(reader, runtime) : (undefined as S);
  reader.done();
  return { runtime, settings };
}
