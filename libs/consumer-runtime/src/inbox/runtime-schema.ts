import type { Pool } from 'pg';
import { parkedKeysTableSql } from '../ordering/parked-keys';
import { inboxTableSql } from './inbox-store';

/** A schema name goes into SQL as an identifier, so it is held to a plain, safe shape. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the runtime's tables if they are missing. Serialised by an advisory lock because
 * replicas start together and concurrent CREATE TABLE IF NOT EXISTS can still collide in
 * PostgreSQL's catalog.
 */
export async function ensureRuntimeSchema(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`consumer-runtime:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    for (const sql of [...inboxTableSql(schema), ...parkedKeysTableSql(schema)]) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
