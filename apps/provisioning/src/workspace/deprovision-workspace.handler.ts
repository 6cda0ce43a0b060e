import { EventEnvelope, EventType, PermanentError } from '@platform/contracts';
import type { DeprovisionMode } from '../config';
import { dropTenantRole } from '../steps/tenant-role';
import { classifyPgError } from '../tenants/pg-error-classifier';
import { TenantDatabase, inTenantTransaction } from '../tenants/tenant-transaction';
import { TenantWorkspace, ident, tenantWorkspace } from '../tenants/tenant-workspace';

export type DeprovisionOutcome = 'dropped' | 'archived' | 'already-gone' | 'already-archived';

/**
 * Takes a closed account's workspace down, in one transaction, idempotently: a replay finds
 * nothing left to do and says so.
 *   drop:    the schema and everything in it, then the role.
 *   archive: the schema is renamed to archived_tenant_<id> with its data, objects the tenant owned
 *            are handed to the service's user, and the role is dropped, so nobody can log in to it.
 */
export class DeprovisionWorkspaceHandler {
  constructor(
    private readonly db: TenantDatabase,
    private readonly mode: DeprovisionMode,
  ) {}

  async handle(event: EventEnvelope<typeof EventType.AccountClosed>): Promise<DeprovisionOutcome> {
    const tenant = tenantWorkspace(event.data.accountId);
    try {
      return await inTenantTransaction(this.db, tenant, async (client) => {
        const present = await client.query<{ nspname: string }>('SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY($1)', [
          [tenant.schema, tenant.archivedSchema],
        ]);
        const names = new Set(present.rows.map((r) => r.nspname));
        const live = names.has(tenant.schema);
        const archived = names.has(tenant.archivedSchema);
        if (this.mode === 'drop') {
          if (live) await client.query(`DROP SCHEMA ${ident(tenant.schema)} CASCADE`);
          await dropTenantRole(client, tenant.role, { keepObjects: false });
          return live ? 'dropped' : 'already-gone';
        }
        if (live && archived) throw archiveConflict(tenant);
        // Ownership first: REASSIGN keeps the tenant's own tables when the role goes.
        await dropTenantRole(client, tenant.role, { keepObjects: true });
        if (live) await client.query(`ALTER SCHEMA ${ident(tenant.schema)} RENAME TO ${ident(tenant.archivedSchema)}`);
        return live ? 'archived' : archived ? 'already-archived' : 'already-gone';
      });
    } catch (error) {
      throw classifyPgError(error, `deprovisioning ${tenant.schema} (${this.mode})`);
    }
  }
}

function archiveConflict(tenant: TenantWorkspace): PermanentError {
  // Both names exist only if the account was provisioned again after an archive; which copy
  // to keep is a person's call.
  return new PermanentError(`both ${tenant.schema} and ${tenant.archivedSchema} exist; refusing to overwrite an archive`, 'ARCHIVE_CONFLICT');
}
