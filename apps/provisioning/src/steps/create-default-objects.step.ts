import { TenantDatabase, inTenantTransaction } from '../tenants/tenant-transaction';
import { TenantWorkspace, ident } from '../tenants/tenant-workspace';
import type { ProvisioningStep } from './provisioning-step';

/**
 * What every workspace starts with: a settings table seeded from the signup. The seed only fills
 * missing keys (ON CONFLICT DO NOTHING), so a replay never overwrites what the tenant changed since.
 */
export class CreateDefaultObjectsStep implements ProvisioningStep {
  readonly name = 'create-default-objects';

  constructor(private readonly db: TenantDatabase) {}

  async apply(tenant: TenantWorkspace): Promise<void> {
    const settings = `${ident(tenant.schema)}.settings`;
    await inTenantTransaction(this.db, tenant, async (client) => {
      await client.query(`CREATE TABLE IF NOT EXISTS ${settings} (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
      await client.query(
        `INSERT INTO ${settings} (key, value) VALUES ('plan', $1::jsonb), ('locale', $2::jsonb), ('timezone', $3::jsonb)
         ON CONFLICT (key) DO NOTHING`,
        [JSON.stringify(tenant.defaults.plan), JSON.stringify(tenant.defaults.locale), JSON.stringify('UTC')],
      );
      // The table belongs to the service, the rows to the tenant: it may change its settings but
      // not drop or restructure the table the platform reads.
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${settings} TO ${ident(tenant.role)}`);
    });
  }

  async compensate(tenant: TenantWorkspace): Promise<void> {
    await inTenantTransaction(this.db, tenant, async (client) => {
      await client.query(`DROP TABLE IF EXISTS ${ident(tenant.schema)}.settings`);
    });
  }
}
