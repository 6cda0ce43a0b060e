import { QueryFailedError } from 'typeorm';
import { isRetriable } from '@platform/contracts';
import { readAccountsConfig } from '../config';
import { TestDatabase, createTestDatabase } from '../../test/test-database';
import { createAccountsDataSource } from './data-source';

// The service's DataSource, from its configuration, over the real PostgreSQL.
describe('accounts DataSource timeouts', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('timeouts');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('cancels a statement that outlasts DATABASE_STATEMENT_TIMEOUT_MS, retriably, and keeps the connection usable', async () => {
    const config = readAccountsConfig({ DATABASE_URL: database.url, DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    const dataSource = createAccountsDataSource(config.database);
    await dataSource.initialize();
    try {
      expect(await dataSource.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
      const started = Date.now();
      const error = await dataSource.query('SELECT pg_sleep(5)').then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(QueryFailedError);
      expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('57014');
      expect(isRetriable(error)).toBe(true);
      expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('has a 30 s statement timeout by default', async () => {
    const dataSource = createAccountsDataSource(readAccountsConfig({ DATABASE_URL: database.url }).database);
    await dataSource.initialize();
    try {
      expect(await dataSource.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '30s' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
