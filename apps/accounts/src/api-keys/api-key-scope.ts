/** What a key may do. Stored as text in api_keys.scopes; the migration's CHECK lists the same values. */
export const ApiKeyScope = {
  /** GET an account or a list of accounts. */
  Read: 'accounts:read',
  /** Sign up and edit profiles: what a signup flow needs. */
  Write: 'accounts:write',
  /** Suspend, reactivate and close (erase): operator and support tools only. */
  Admin: 'accounts:admin',
} as const;
export type ApiKeyScope = (typeof ApiKeyScope)[keyof typeof ApiKeyScope];

export const ALL_SCOPES: readonly ApiKeyScope[] = Object.values(ApiKeyScope);

/**
 * Scopes nest: admin ⊃ write ⊃ read. A signup flow reads back what it wrote, and an operator who
 * may close accounts may also look at them; a key holding the higher scope never needs the lower
 * one listed as well.
 */
const IMPLIED: Readonly<Record<ApiKeyScope, readonly ApiKeyScope[]>> = {
  [ApiKeyScope.Read]: [ApiKeyScope.Read],
  [ApiKeyScope.Write]: [ApiKeyScope.Write, ApiKeyScope.Read],
  [ApiKeyScope.Admin]: [ApiKeyScope.Admin, ApiKeyScope.Write, ApiKeyScope.Read],
};

export function grants(held: readonly ApiKeyScope[], required: ApiKeyScope): boolean {
  return held.some((scope) => IMPLIED[scope].includes(required));
}

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}
