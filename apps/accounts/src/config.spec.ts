import { ConfigError, DEFAULT_DATABASE_TIMEOUTS } from '@platform/config';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_IDEMPOTENCY_TTL_HOURS, DEFAULT_RATE_LIMIT_PER_SECOND, readAccountsConfig } from './config';

describe('accounts config', () => {
  it('has working defaults for a local run', () => {
    expect(readAccountsConfig({})).toEqual({
      database: { url: 'postgres://postgres@127.0.0.1:5432/accounts', poolSize: 10, ...DEFAULT_DATABASE_TIMEOUTS, replicaUrls: [] },
      http: { host: '127.0.0.1', port: 3000 },
      kafka: { clientId: 'accounts', brokers: ['127.0.0.1:9092'] },
      log: { level: 'info' },
      bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
      inboxEnabled: true,
      inboxRetention: { retentionMs: 35 * 86_400_000, pruneIntervalMs: 3_600_000 },
      idempotencyTtlHours: DEFAULT_IDEMPOTENCY_TTL_HOURS,
      idempotencyLeaseSeconds: 60,
      apiKeyCacheTtlMs: 5_000,
      rateLimitPerSecond: DEFAULT_RATE_LIMIT_PER_SECOND,
      backPressure: { maxInFlight: 64, maxPoolWaiters: 64, poolRetryAfterSeconds: 1, maxOutboxBacklog: 200_000, backlogRetryAfterSeconds: 5, sampleIntervalMs: 1000 },
      requestTimeouts: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 },
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
      RATE_LIMIT_PER_SECOND: '250',
      BACKPRESSURE_MAX_POOL_WAITERS: '8',
      BACKPRESSURE_POOL_RETRY_AFTER: '2',
      BACKPRESSURE_MAX_OUTBOX_BACKLOG: '1000',
      BACKPRESSURE_BACKLOG_RETRY_AFTER: '30',
      BACKPRESSURE_SAMPLE_INTERVAL_MS: '200',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '4000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
    });
    expect(config).toMatchObject({
      database: { url: 'postgresql://u@db:5432/acc', poolSize: 20 },
      http: { host: '0.0.0.0', port: 8080 },
      kafka: { brokers: ['k1:9092', 'k2:9092'] },
      bodyLimitBytes: 2048,
      inboxEnabled: false,
      idempotencyTtlHours: 48,
      rateLimitPerSecond: 250,
      backPressure: { maxInFlight: 64, maxPoolWaiters: 8, poolRetryAfterSeconds: 2, maxOutboxBacklog: 1000, backlogRetryAfterSeconds: 30, sampleIntervalMs: 200 },
      requestTimeouts: { headersMs: 2000, requestMs: 4000, keepAliveMs: 65_000 },
    });
  });

  it('refuses a headers timeout longer than the request timeout it is part of', () => {
    expect(() => readAccountsConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS \(20000\) must not exceed HTTP_REQUEST_TIMEOUT_MS \(10000\)/,
    );
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

  it('reads REPLICA_DATABASE_URLS as a list beside the primary', () => {
    const config = readAccountsConfig({
      DATABASE_URL: 'postgres://u@primary:5432/acc',
      REPLICA_DATABASE_URLS: ' postgres://u@replica-a:5432/acc, postgresql://u@replica-b:5432/acc ,',
    });
    expect(config.database).toEqual({
      url: 'postgres://u@primary:5432/acc',
      poolSize: 10,
      ...DEFAULT_DATABASE_TIMEOUTS,
      replicaUrls: ['postgres://u@replica-a:5432/acc', 'postgresql://u@replica-b:5432/acc'],
    });
  });

  it('checks every replica URL like DATABASE_URL, naming the entry', () => {
    let thrown: unknown;
    try {
      readAccountsConfig({ REPLICA_DATABASE_URLS: 'postgres://ok@replica/acc,mysql://db/acc,not a url' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      'REPLICA_DATABASE_URLS entry 2 must be a postgres:// URL, got scheme "mysql:"',
      'REPLICA_DATABASE_URLS entry 3 must be a URL, got "not a url"',
    ]);
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
