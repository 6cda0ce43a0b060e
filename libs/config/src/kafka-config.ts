import { readFileSync } from 'node:fs';
import { EnvReader } from './env-reader';

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
const SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/** Shaped like kafkajs' SASL options, a union per mechanism, so it can be handed over as is. */
export type KafkaSasl =
  | { mechanism: 'plain'; username: string; password: string }
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string };

export interface KafkaConfig {
  readonly clientId: string;
  readonly brokers: string[];
  /** TLS to the brokers; `ca` replaces the system roots when the cluster has its own CA (Strimzi). */
  readonly ssl?: { readonly ca?: string[] };
  /** Per-app credentials, so broker ACLs can hold each app to its own topics and group. */
  readonly sasl?: KafkaSasl;
}

/**
 * Every app and the ops CLI read the broker address and credentials the same way. Without
 * KAFKA_SASL_MECHANISM and KAFKA_SSL the connection is plain, as on a laptop or in CI; a
 * cluster with Strimzi users sets KAFKA_SASL_MECHANISM=scram-sha-512, the user's name and
 * password, KAFKA_SSL=true and KAFKA_SSL_CA_FILE (the cluster CA certificate).
 */
export function readKafkaConfig(reader: EnvReader, clientId: string): KafkaConfig {
  const brokers = reader.list('KAFKA_BROKERS', ['127.0.0.1:9092']);
  if (brokers.length === 0) reader.problem('KAFKA_BROKERS must name at least one broker');
  const config: { clientId: string; brokers: string[]; ssl?: { ca?: string[] }; sasl?: KafkaConfig['sasl'] } = {
    clientId: reader.string('KAFKA_CLIENT_ID', clientId),
    brokers,
  };

  const caFile = reader.string('KAFKA_SSL_CA_FILE', '');
  if (reader.bool('KAFKA_SSL', caFile !== '')) {
    config.ssl = {};
    if (caFile) {
      try {
        config.ssl = { ca: [readFileSync(caFile, 'utf8')] };
      } catch (error) {
        reader.problem(`KAFKA_SSL_CA_FILE cannot be read: ${(error as Error).message}`);
      }
    }
  }

  const mechanism = reader.string('KAFKA_SASL_MECHANISM', '').toLowerCase();
  if (mechanism) {
    const username = reader.string('KAFKA_SASL_USERNAME', '');
    const password = reader.string('KAFKA_SASL_PASSWORD', '');
    if (!SASL_MECHANISMS.includes(mechanism as KafkaSaslMechanism)) {
      reader.problem(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got "${mechanism}"`);
    } else if (!username || !password) {
      reader.problem('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM');
    } else {
      config.sasl = { mechanism, username, password } as KafkaSasl;
    }
  }
  return config;
}

/** The connection part of a kafkajs client config: brokers, TLS and SASL, as read above. */
export function kafkaConnection(config: KafkaConfig): { brokers: string[]; ssl?: { ca?: string[] } | boolean; sasl?: KafkaSasl } {
  return {
    brokers: [...config.brokers],
    ...(config.ssl ? { ssl: config.ssl.ca ? { ca: [...config.ssl.ca] } : true } : {}),
    ...(config.sasl ? { sasl: { ...config.sasl } } : {}),
  };
}
