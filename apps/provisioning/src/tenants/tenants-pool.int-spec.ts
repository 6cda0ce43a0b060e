import type { Pool } from 'pg';
import { FreshDatabase, createFreshDatabase, startSilentServer } from '@platform/testing';
import { readConsumerConfig } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration, isRetriable } from '@platform/contracts';
import { DEFAULT_HEALTH_PORT, INBOX_SCHEMA, readProvisioningSettings } from '../config';
import { TenantDbErrorCode, classifyPgError } from './pg-error-classifier';
import { createTenantsPool } from './tenants-database';

// The tenants pool as provisioning.start.ts builds it, from the configuration, over the real PostgreSQL.
const readSettings = (env: Record<string, string>) =>
  readConsumerConfig(env, { consumer: consumerDeclaration(Consumer.Provisioning), inboxSchema: INBOX_SCHEMA, healthPort: DEFAULT_HEALTH_PORT, settings: readProvisioningSettings }).settings;

describe('tenants pool timeouts', () => {
  let database: FreshDatabase;
  const pools: Pool[] = [];
  const poolFrom = (env: Record<string, string>) => {
    const config = readSettings({ TENANTS_DATABASE_URL: database.url, DATABASE_URL: `${database.url}_inbox`, ...env });
    const pool = createTenantsPool(config.tenants);
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => {
    database = await createFreshDatabase('tenants_pool');
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database?.drop();
  });

  it('has a statement timeout by default', async () => {
    const { rows } = await poolFrom({}).query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(rows[0].statement_timeout).toBe('30s');
  });

  it('cancels a statement that outlasts TENANTS_DATABASE_STATEMENT_TIMEOUT_MS with an error classified retriable, and the pool goes on', async () => {
    const pool = poolFrom({ TENANTS_DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    const started = Date.now();
    const error = await pool.query('SELECT pg_sleep(5)').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toMatchObject({ code: '57014', message: expect.stringContaining('statement timeout') });

    const classified = classifyPgError(error, 'a slow step');
    expect(classified).toMatchObject({ retriable: true, code: TenantDbErrorCode.Contention });
    expect(isRetriable(classified)).toBe(true);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('gives up a connect after TENANTS_DATABASE_CONNECT_TIMEOUT_MS', async () => {
    // A server that accepts the connection and never answers, as a hung PostgreSQL does.
    const silent = await startSilentServer();
    try {
      const config = readSettings({ TENANTS_DATABASE_URL: `postgres://postgres@127.0.0.1:${silent.port}/tenants`, TENANTS_DATABASE_CONNECT_TIMEOUT_MS: '300' });
      const pool = createTenantsPool(config.tenants);
      pools.push(pool);
      const started = Date.now();
      const error = await pool.query('SELECT 1').then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((error as Error).message).toMatch(/timeout/i);
      expect(classifyPgError(error, 'connecting').retriable).toBe(true);
    } finally {
      await silent.close();
    }
  });
});
