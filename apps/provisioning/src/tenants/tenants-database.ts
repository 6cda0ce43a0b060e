import { Pool } from 'pg';
import { pgTimeoutOptions } from '@platform/config';
import type { TenantsDatabaseConfig } from '../config';

/** Start-up refusal: without its tenants database provisioning can do nothing useful. */
export class TenantsDatabaseUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TenantsDatabaseUnavailableError';
  }
}

/**
 * The tenants pool. The statement timeout bounds every DDL step above its lock timeout: a step
 * stuck on anything else fails with 57014, which classifyPgError takes for contention (retriable).
 */
export function createTenantsPool(config: TenantsDatabaseConfig): Pool {
  return new Pool({ connectionString: config.url, max: config.poolSize, ...pgTimeoutOptions(config) });
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

/**
 * Checks at start-up that the tenants database exists and is reachable, and hardens it once:
 * PUBLIC loses CREATE on schema public, as PostgreSQL 15 does by default, so that on an older or
 * hand-made database tenant roles still cannot create outside their own schema. The database is
 * not created here: the stack scripts own that, and a typo in TENANTS_DATABASE_URL must not
 * silently give tenants a new, empty home.
 */
export async function prepareTenantsDatabase(pool: Pool, url: string): Promise<void> {
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || '(default)';
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '3D000') {
      throw new TenantsDatabaseUnavailableError(
        `tenants database "${database}" does not exist at ${redactUrl(url)}; ` +
          `the stack scripts create it (npm run up), or create it by hand: createdb -h <host> -U postgres ${database}`,
        error,
      );
    }
    throw new TenantsDatabaseUnavailableError(`cannot reach the tenants database at ${redactUrl(url)}: ${(error as Error).message}`, error);
  }
  await pool.query(`DO $$
    BEGIN
      IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'public') THEN
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
      END IF;
    END $$`);
}
