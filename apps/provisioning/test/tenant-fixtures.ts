import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { FreshDatabase, createFreshDatabase, testServerUrl } from '@platform/testing';
import type { TenantDatabase } from '../src/tenants/tenant-transaction';
import { prepareTenantsDatabase } from '../src/tenants/tenants-database';
import { TenantWorkspace, tenantWorkspace } from '../src/tenants/tenant-workspace';

/** A fresh tenants database for one test file, prepared as main.ts prepares the real one. */
export interface TenantsFixture {
  readonly database: FreshDatabase;
  readonly db: TenantDatabase;
  /** A workspace for a new random account; its role is dropped (roles are cluster-wide) at close. */
  newTenant(defaults?: TenantWorkspace['defaults']): TenantWorkspace;
  schemaExists(name: string): Promise<boolean>;
  roleCount(name: string): Promise<number>;
  /** Runs SQL as the tenant's role (SET ROLE), so privilege checks are the role's own. */
  asRole<T>(role: string, work: (client: Client) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function tenantsFixture(prefix: string, lockTimeoutMs = 5_000): Promise<TenantsFixture> {
  const database = await createFreshDatabase(prefix);
  const pool = new Pool({ connectionString: database.url, max: 4 });
  await prepareTenantsDatabase(pool, database.url);
  const roles: string[] = [];
  return {
    database,
    db: { pool, lockTimeoutMs },
    newTenant(defaults = { plan: 'team', locale: 'de-AT' }) {
      const tenant = tenantWorkspace(randomUUID(), defaults);
      roles.push(tenant.role);
      return tenant;
    },
    async schemaExists(name) {
      const result = await pool.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [name]);
      return result.rowCount === 1;
    },
    async roleCount(name) {
      const result = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_catalog.pg_roles WHERE rolname = $1', [name]);
      return result.rows[0].n;
    },
    async asRole(role, work) {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL ROLE "${role}"`);
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await client.end();
      }
    },
    async close() {
      await pool.end();
      await database.drop();
      // With the database gone the roles own nothing anywhere and can go too.
      const admin = new Client({ connectionString: testServerUrl() });
      await admin.connect();
      try {
        for (const role of roles) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Postgres' SQLSTATE of a rejected promise, for asserting on real server errors. */
export async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}
