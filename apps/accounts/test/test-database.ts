import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createAccountsDataSource } from '../src/database/data-source';
import { runAccountsMigrations } from '../src/database/migrations-runner';

/** The local server the integration tests use; the `postgres` database is only used to create and drop others. */
const SERVER_URL = 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database per test file, so files cannot see each other's rows and can run in
 * any order; dropped afterwards (WITH FORCE, in case a pool connection lingers).
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `accounts_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: `${SERVER_URL}/${name}`,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A migrated database and a connected DataSource on it, for service-level tests without HTTP. */
export async function createMigratedDataSource(database: TestDatabase): Promise<DataSource> {
  const dataSource = createAccountsDataSource({ url: database.url, poolSize: 5 });
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
