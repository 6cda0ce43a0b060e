import type { PoolClient } from 'pg';
import { ident } from '../tenants/tenant-workspace';

/**
 * Removes a tenant role, if there is one. DROP OWNED revokes its privileges here and drops what it
 * owns here (tables the tenant made); `keepObjects` first hands those to the service's user, which
 * is how an archived workspace keeps its data. Roles are cluster-wide: this only succeeds while the
 * role has no privileges in other databases, which provisioning never grants.
 */
export async function dropTenantRole(client: PoolClient, role: string, options: { keepObjects: boolean }): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) return;
  if (options.keepObjects) await client.query(`REASSIGN OWNED BY ${ident(role)} TO CURRENT_USER`);
  await client.query(`DROP OWNED BY ${ident(role)}`);
  await client.query(`DROP ROLE ${ident(role)}`);
}
