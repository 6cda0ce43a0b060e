import { ConfigError, DEFAULT_DATABASE_TIMEOUTS } from '@platform/config';
import { readRelayConfig } from './config';

describe('readRelayConfig', () => {
  it('runs on defaults against the local accounts database and broker', () => {
    expect(readRelayConfig({})).toEqual({
      database: { url: 'postgres://postgres@127.0.0.1:5432/accounts', poolSize: 10, ...DEFAULT_DATABASE_TIMEOUTS },
      schema: 'accounts',
      kafka: { clientId: 'accounts-relay', brokers: ['127.0.0.1:9092'] },
      batchSize: 1000,
      pollIntervalMs: 1000,
      health: { host: '127.0.0.1', port: 3100 },
      log: { level: 'info' },
    });
  });

  it('takes every setting from the environment', () => {
    const config = readRelayConfig({
      DATABASE_URL: 'postgresql://relay@db:5432/accounts_prod',
      OUTBOX_SCHEMA: 'accounts_v2',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      RELAY_BATCH_SIZE: '500',
      RELAY_POLL_INTERVAL_MS: '250',
      RELAY_HEALTH_PORT: '0',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      database: { url: 'postgresql://relay@db:5432/accounts_prod' },
      schema: 'accounts_v2',
      kafka: { brokers: ['k1:9092', 'k2:9092'] },
      batchSize: 500,
      pollIntervalMs: 250,
      health: { host: '0.0.0.0', port: 0 },
      log: { level: 'debug' },
    });
  });

  it('names every bad variable in one ConfigError', () => {
    let thrown: unknown;
    try {
      readRelayConfig({
        DATABASE_URL: 'mysql://db/accounts',
        OUTBOX_SCHEMA: 'accounts; DROP TABLE x',
        RELAY_BATCH_SIZE: '0',
        RELAY_POLL_INTERVAL_MS: 'soon',
        RELAY_HEALTH_PORT: '70000',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'OUTBOX_SCHEMA', 'RELAY_BATCH_SIZE', 'RELAY_POLL_INTERVAL_MS', 'RELAY_HEALTH_PORT']) {
      expect(problems).toContain(name);
    }
  });
});
