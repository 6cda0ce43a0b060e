import { DataSource } from 'typeorm';
import { ACCOUNTS_SCHEMA } from './schema';

/**
 * Applies pending migrations and returns their names. The schema is created first because
 * TypeORM keeps its migrations table inside it and creates that table before the first migration runs.
 */
export async function runAccountsMigrations(dataSource: DataSource): Promise<string[]> {
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${ACCOUNTS_SCHEMA}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/** True when the database lags behind the code; the app refuses to start rather than fail per request. */
export async function hasPendingMigrations(dataSource: DataSource): Promise<boolean> {
  const [{ exists }] = await dataSource.query(
    `SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = $1) AS exists`,
    [ACCOUNTS_SCHEMA],
  );
  if (!exists) return true;
  return dataSource.showMigrations();
}
