import { PermanentError } from '@platform/contracts';

/** Everything provisioning names for one account. All names derive from the account id alone. */
export interface TenantWorkspace {
  readonly accountId: string;
  /** `tenant_<account id without dashes>`: 39 characters, inside PostgreSQL's 63-byte identifier limit. */
  readonly schema: string;
  /** Same name as the schema; roles and schemas live in different namespaces. */
  readonly role: string;
  /** Where DEPROVISION_MODE=archive moves the schema. */
  readonly archivedSchema: string;
  /** Seeded into the tenant's settings table. */
  readonly defaults: { readonly plan: string; readonly locale: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Derives the workspace names. The account id must be a UUID: only then is the name made of
 * [a-z0-9_] and safe to splice into DDL, which cannot take bind parameters for identifiers.
 */
export function tenantWorkspace(accountId: string, defaults: TenantWorkspace['defaults'] = { plan: 'free', locale: 'en' }): TenantWorkspace {
  if (!UUID.test(accountId)) {
    throw new PermanentError(`account id ${JSON.stringify(accountId)} is not a UUID; cannot name a workspace after it`, 'INVALID_ACCOUNT_ID');
  }
  const id = accountId.toLowerCase().replace(/-/g, '');
  return {
    accountId,
    schema: `tenant_${id}`,
    role: `tenant_${id}`,
    archivedSchema: `archived_tenant_${id}`,
    defaults,
  };
}

/** Double-quotes an identifier. The names above need no escaping, but a quote costs nothing and keeps DDL uniform. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
