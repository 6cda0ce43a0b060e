import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EnvReader } from './env-reader';
import { kafkaConnection, readKafkaConfig } from './kafka-config';

const read = (env: Record<string, string>) => {
  const reader = new EnvReader(env);
  const config = readKafkaConfig(reader, 'app');
  reader.done();
  return config;
};

describe('readKafkaConfig', () => {
  it('connects in plain text without credentials by default', () => {
    const config = read({ KAFKA_BROKERS: 'k1:9092,k2:9092' });
    expect(kafkaConnection(config)).toEqual({ brokers: ['k1:9092', 'k2:9092'] });
  });

  it('reads SCRAM credentials and the cluster CA for TLS, as Strimzi users need', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-ca-'));
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = read({
      KAFKA_BROKERS: 'platform-kafka-bootstrap:9093',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'welcome-email',
      KAFKA_SASL_PASSWORD: 's3cret',
      KAFKA_SSL_CA_FILE: caFile,
    });
    expect(kafkaConnection(config)).toEqual({
      brokers: ['platform-kafka-bootstrap:9093'],
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] },
      sasl: { mechanism: 'scram-sha-512', username: 'welcome-email', password: 's3cret' },
    });
  });

  it('uses the system roots with KAFKA_SSL=true and no CA file', () => {
    expect(kafkaConnection(read({ KAFKA_SSL: 'true' })).ssl).toBe(true);
  });

  it('names every bad Kafka variable at once', () => {
    let thrown: unknown;
    try {
      read({ KAFKA_SASL_MECHANISM: 'kerberos', KAFKA_SSL_CA_FILE: '/nonexistent/ca.crt' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems.join('\n');
    expect(problems).toContain('KAFKA_SASL_MECHANISM must be one of');
    expect(problems).toContain('KAFKA_SSL_CA_FILE cannot be read');
    expect(() => read({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toThrow(/KAFKA_SASL_PASSWORD/);
  });
});
