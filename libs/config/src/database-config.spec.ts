import { ConfigError, EnvReader } from './env-reader';
import { DEFAULT_DATABASE_TIMEOUTS, pgTimeoutOptions, readDatabaseConfig, readDatabaseTimeouts } from './database-config';

const read = (env: Record<string, string>) => {
  const reader = new EnvReader(env);
  const config = readDatabaseConfig(reader, 'app');
  reader.done();
  return config;
};

describe('readDatabaseConfig', () => {
  it('bounds connects and statements by default', () => {
    expect(read({})).toEqual({ url: 'postgres://postgres@127.0.0.1:5432/app', poolSize: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 });
    expect(DEFAULT_DATABASE_TIMEOUTS).toEqual({ connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 });
  });

  it('reads both timeouts from the environment; 0 turns the statement timeout off', () => {
    expect(read({ DATABASE_CONNECT_TIMEOUT_MS: '2000', DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toMatchObject({ connectTimeoutMs: 2_000, statementTimeoutMs: 0 });
  });

  it('refuses a connect timeout of 0 (node-postgres would wait for ever) and values that are not numbers', () => {
    expect(() => read({ DATABASE_CONNECT_TIMEOUT_MS: '0' })).toThrow(ConfigError);
    expect(() => read({ DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });

  it('reads another database under its own prefix', () => {
    const reader = new EnvReader({ TENANTS_DATABASE_STATEMENT_TIMEOUT_MS: '1500' });
    expect(readDatabaseTimeouts(reader, 'TENANTS_DATABASE')).toEqual({ connectTimeoutMs: 5_000, statementTimeoutMs: 1_500 });
  });
});

describe('pgTimeoutOptions', () => {
  it('names them as node-postgres does', () => {
    expect(pgTimeoutOptions({ connectTimeoutMs: 1_000, statementTimeoutMs: 2_000 })).toEqual({ connectionTimeoutMillis: 1_000, statement_timeout: 2_000 });
  });
});
