import { ConfigError } from '@platform/config';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_IDEMPOTENCY_TTL_HOURS, readAccountsConfig } from './config';

describe('accounts config', () => {
  it('has working defaults for a local run', () => {
    expect(readAccountsConfig({})).toEqual({
      database: { url: 'postgres://postgres@127.0.0.1:5432/accounts', poolSize: 10 },
      http: { host: '127.0.0.1', port: 3000 },
      kafka: { clientId: 'accounts', brokers: ['127.0.0.1:9092'] },
      bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
      inboxEnabled: true,
      idempotencyTtlHours: DEFAULT_IDEMPOTENCY_TTL_HOURS,
    });
  });

  it('reads every variable', () => {
    const config = readAccountsConfig({
      DATABASE_URL: 'postgresql://u@db:5432/acc',
      DATABASE_POOL_SIZE: '20',
      HOST: '0.0.0.0',
      PORT: '8080',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      BODY_LIMIT: '2048',
      ACCOUNTS_INBOX_ENABLED: 'false',
      IDEMPOTENCY_TTL_HOURS: '48',
    });
    expect(config).toMatchObject({
      database: { url: 'postgresql://u@db:5432/acc', poolSize: 20 },
      http: { host: '0.0.0.0', port: 8080 },
      kafka: { brokers: ['k1:9092', 'k2:9092'] },
      bodyLimitBytes: 2048,
      inboxEnabled: false,
      idempotencyTtlHours: 48,
    });
  });

  it('fails fast with one error naming every bad variable', () => {
    let thrown: unknown;
    try {
      readAccountsConfig({ DATABASE_URL: 'mysql://db/acc', PORT: 'http', BODY_LIMIT: '10', ACCOUNTS_INBOX_ENABLED: 'perhaps' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as ConfigError).message;
    for (const name of ['PORT', 'BODY_LIMIT', 'ACCOUNTS_INBOX_ENABLED', 'DATABASE_URL must be a postgres:// URL']) expect(message).toContain(name);
    expect((thrown as ConfigError).problems).toHaveLength(4);
  });

  it('reports a malformed DATABASE_URL once', () => {
    expect(() => readAccountsConfig({ DATABASE_URL: 'not a url' })).toThrow(ConfigError);
    try {
      readAccountsConfig({ DATABASE_URL: 'not a url' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['DATABASE_URL must be a URL, got "not a url"']);
    }
  });
});
