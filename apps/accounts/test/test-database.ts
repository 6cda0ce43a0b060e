import { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_TIMEOUTS } from '@platform/config';
import { FreshDatabase, createFreshDatabase } from '@platform/testing';
import { createAccountsDataSource } from '../src/database/data-source';
import { runAccountsMigrations } from '../src/database/migrations-runner';

export type TestDatabase = FreshDatabase;

/**
 * A fresh, empty database per test file, so files cannot see each other's rows and can run in
 * any order; dropped afterwards (WITH FORCE, in case a pool connection lingers).
 */
export function createTestDatabase(label: string): Promise<TestDatabase> {
  return createFreshDatabase(`accounts_test_${label}`);
}

/** A migrated database and a connected DataSource on it, for service-level tests without HTTP. */
export async function createMigratedDataSource(database: TestDatabase): Promise<DataSource> {
  const dataSource = createAccountsDataSource({ url: database.url, poolSize: 5, ...DEFAULT_DATABASE_TIMEOUTS });
  await dataSource.initialize();
  await runAccountsMigrations(dataSource);
  return dataSource;
}

export interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  headers: Record<string, string>;
  value: string;
}

export async function outboxRows(dataSource: DataSource, accountId?: string): Promise<OutboxRow[]> {
  return accountId === undefined
    ? dataSource.query(`SELECT * FROM accounts.outbox ORDER BY id`)
    : dataSource.query(`SELECT * FROM accounts.outbox WHERE message_key = $1 ORDER BY id`, [accountId]);
}
