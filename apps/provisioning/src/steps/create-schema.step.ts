import { TenantDatabase, inTenantTransaction } from '../tenants/tenant-transaction';
import { TenantWorkspace, ident } from '../tenants/tenant-workspace';
import type { ProvisioningStep } from './provisioning-step';

/** The tenant's own schema; everything else of the workspace lives inside it. */
export class CreateSchemaStep implements ProvisioningStep {
  readonly name = 'create-schema';

  constructor(private readonly db: TenantDatabase) {}

  async apply(tenant: TenantWorkspace): Promise<void> {
    await inTenantTransaction(this.db, tenant, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(tenant.schema)}`);
    });
  }

  async compensate(tenant: TenantWorkspace): Promise<void> {
    await inTenantTransaction(this.db, tenant, async (client) => {
      await client.query(`DROP SCHEMA IF EXISTS ${ident(tenant.schema)} CASCADE`);
    });
  }
}
