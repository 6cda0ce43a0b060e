import { randomBytes } from 'node:crypto';
import { TenantDatabase, inTenantTransaction } from '../tenants/tenant-transaction';
import { TenantWorkspace, ident } from '../tenants/tenant-workspace';
import type { ProvisioningStep } from './provisioning-step';
import { dropTenantRole } from './tenant-role';

/**
 * A LOGIN role per tenant whose privileges end at its own schema.
 *
 * The password is random and kept nowhere: nobody can log in until credentials are issued, which
 * is a rotation (ALTER ROLE ... PASSWORD) done by whatever hands out secrets. Being LOGIN already
 * makes that a one-statement change. The literal is hex, so it needs no escaping; DDL takes no bind
 * parameters. (With log_statement=ddl the literal reaches the server log: one more reason it is a
 * throwaway.)
 */
export class CreateTenantRoleStep implements ProvisioningStep {
  readonly name = 'create-tenant-role';

  constructor(
    private readonly db: TenantDatabase,
    private readonly connectionLimit = 5,
  ) {}

  async apply(tenant: TenantWorkspace): Promise<void> {
    const role = ident(tenant.role);
    const schema = ident(tenant.schema);
    const password = randomBytes(24).toString('hex');
    await inTenantTransaction(this.db, tenant, async (client) => {
      // Roles are cluster-wide, so another database's provisioning could race us past the
      // existence check; duplicate_object then just means someone else was first.
      await client.query(`DO $$
        BEGIN
          IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${tenant.role}') THEN
            CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS
              CONNECTION LIMIT ${Math.trunc(this.connectionLimit)} PASSWORD '${password}';
          END IF;
        EXCEPTION WHEN duplicate_object THEN NULL;
        END $$`);
      await client.query(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`);
      // Explicit even where PostgreSQL 15's defaults already deny it: the role must not create in
      // public whatever a previous grant or an older server left there.
      if ((await client.query(`SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'public'`)).rowCount) {
        await client.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
      }
      await client.query(`ALTER ROLE ${role} SET search_path = ${schema}`);
    });
  }

  async compensate(tenant: TenantWorkspace): Promise<void> {
    await inTenantTransaction(this.db, tenant, (client) => dropTenantRole(client, tenant.role, { keepObjects: false }));
  }
}
