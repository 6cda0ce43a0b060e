import type { Pool, PoolClient } from 'pg';
import type { TenantWorkspace } from './tenant-workspace';

export interface TenantDatabase {
  readonly pool: Pool;
  readonly lockTimeoutMs: number;
}

/**
 * Runs work in one transaction holding the tenant's advisory lock. The lock serialises everything
 * done to one workspace across replicas: the main topic and a retry topic can carry the same
 * account at once, and catalog DDL racing on one name fails with unique violations instead of
 * waiting. lock_timeout turns a wait that would hang the partition into 55P03, which is retriable.
 */
export async function inTenantTransaction<T>(db: TenantDatabase, tenant: TenantWorkspace, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = ${Math.trunc(db.lockTimeoutMs)}`);
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [tenant.schema]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      // A connection that cannot even roll back is not given back to the pool.
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
