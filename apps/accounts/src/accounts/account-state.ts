/**
 * The account lifecycle:
 *
 *   pending   ──activate───▶ active
 *   pending   ──suspend────▶ suspended
 *   active    ──suspend────▶ suspended
 *   suspended ──reactivate─▶ active (or pending, see below)
 *   pending | active | suspended ──close──▶ closed, which is final
 *
 * Suspension is allowed from pending because the abuse verdict usually arrives before
 * provisioning has finished. Reactivating such an account returns it to pending, not active:
 * an account is active only once its workspace exists, and provisioning completing later
 * activates it as it would have without the suspension.
 *
 * Pure functions over plain values: no I/O, so every rule is unit-tested exhaustively.
 */
export const AccountStatus = {
  Pending: 'pending',
  Active: 'active',
  Suspended: 'suspended',
  Closed: 'closed',
} as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

export const ALL_ACCOUNT_STATUSES: readonly AccountStatus[] = Object.values(AccountStatus);

export const AccountTransition = {
  Activate: 'activate',
  Suspend: 'suspend',
  Reactivate: 'reactivate',
  Close: 'close',
} as const;
export type AccountTransition = (typeof AccountTransition)[keyof typeof AccountTransition];

export type TransitionResult =
  | { readonly allowed: true; readonly to: AccountStatus }
  | { readonly allowed: false; readonly from: AccountStatus; readonly transition: AccountTransition };

export interface TransitionContext {
  /** Whether the account's workspace has been provisioned; decides where reactivation lands. */
  readonly provisioned: boolean;
}

const FROM: { readonly [T in AccountTransition]: readonly AccountStatus[] } = {
  [AccountTransition.Activate]: [AccountStatus.Pending],
  [AccountTransition.Suspend]: [AccountStatus.Pending, AccountStatus.Active],
  [AccountTransition.Reactivate]: [AccountStatus.Suspended],
  [AccountTransition.Close]: [AccountStatus.Pending, AccountStatus.Active, AccountStatus.Suspended],
};

export function transition(from: AccountStatus, what: AccountTransition, context: TransitionContext): TransitionResult {
  if (!FROM[what].includes(from)) return { allowed: false, from, transition: what };
  switch (what) {
    case AccountTransition.Activate:
      return { allowed: true, to: AccountStatus.Active };
    case AccountTransition.Suspend:
      return { allowed: true, to: AccountStatus.Suspended };
    case AccountTransition.Reactivate:
      return { allowed: true, to: context.provisioned ? AccountStatus.Active : AccountStatus.Pending };
    case AccountTransition.Close:
      return { allowed: true, to: AccountStatus.Closed };
  }
}

export function isAccountStatus(value: unknown): value is AccountStatus {
  return typeof value === 'string' && (ALL_ACCOUNT_STATUSES as readonly string[]).includes(value);
}
