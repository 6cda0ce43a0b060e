import { EventEnvelope, EventType } from '@platform/contracts';
import { AccountEntity, ProvisioningStatus } from './account.entity';
import { AccountStatus, AccountTransition, transition } from './account-state';
import { IllegalTransitionError } from './account.errors';
import { TraceContext, accountEvent } from './account-events';

/** Columns a change may set; id, version and timestamps are the repository's business. */
export type AccountChanges = Partial<Omit<AccountEntity, 'id' | 'version' | 'createdAt' | 'updatedAt'>>;

/** A decided change: the new column values and the events announcing them, written in one transaction. */
export interface AccountChange {
  readonly changes: AccountChanges;
  readonly events: readonly EventEnvelope[];
}

/**
 * The lifecycle operations, shared by the HTTP use cases and the inbox. Each checks the state
 * machine and throws IllegalTransitionError when the move is not allowed; the caller decides
 * whether that is a 409 (a person asked) or a log line (an event arrived late).
 */
function target(account: AccountEntity, what: AccountTransition): AccountStatus {
  const result = transition(account.status, what, { provisioned: account.provisioningStatus === ProvisioningStatus.Provisioned });
  if (!result.allowed) throw new IllegalTransitionError(account.id, account.status, what);
  return result.to;
}

export function activateAccount(account: AccountEntity, now: Date, trace: TraceContext = {}): AccountChange {
  const status = target(account, AccountTransition.Activate);
  return {
    changes: { status },
    events: [accountEvent(EventType.AccountActivated, account.id, { accountId: account.id, activatedAt: now.toISOString() }, trace, now)],
  };
}

/** The reasons are kept on the row so support can see why without reading the topic. */
export function suspendAccount(account: AccountEntity, reasons: readonly string[], now: Date, trace: TraceContext = {}): AccountChange {
  const status = target(account, AccountTransition.Suspend);
  return {
    changes: { status, suspensionReasons: [...reasons] },
    events: [
      accountEvent(EventType.AccountSuspended, account.id, { accountId: account.id, reasons: [...reasons], suspendedAt: now.toISOString() }, trace, now),
    ],
  };
}

/** Lands on active, or back on pending when the workspace was never provisioned (see account-state.ts). */
export function reactivateAccount(account: AccountEntity, reason: string, now: Date, trace: TraceContext = {}): AccountChange {
  const status = target(account, AccountTransition.Reactivate);
  return {
    changes: { status, suspensionReasons: null },
    events: [accountEvent(EventType.AccountReactivated, account.id, { accountId: account.id, reason, reactivatedAt: now.toISOString() }, trace, now)],
  };
}

/** What an erased account's email becomes: unique per account, and never a deliverable address. */
export function erasedEmail(accountId: string): string {
  return `erased:${accountId}`;
}

export const ERASED_DISPLAY_NAME = 'erased';

/**
 * Closing erases: every field that identifies the person is pseudonymised or cleared in the
 * same transaction, so a closed account cannot be tied back to them and its email can sign up
 * again. The closed event carries the id and the time only. What remains (status, plan, abuse
 * verdict, workspace) is operational and names no one.
 */
export function closeAccount(account: AccountEntity, now: Date, trace: TraceContext = {}): AccountChange {
  const status = target(account, AccountTransition.Close);
  const erased = erasedEmail(account.id);
  return {
    changes: {
      status,
      closedAt: now,
      email: erased,
      emailNormalized: erased,
      displayName: ERASED_DISPLAY_NAME,
      externalId: null,
      signupIp: null,
      signupUserAgent: null,
      // Abuse reasons may quote the address or its domain.
      suspensionReasons: null,
    },
    events: [accountEvent(EventType.AccountClosed, account.id, { accountId: account.id, closedAt: now.toISOString() }, trace, now)],
  };
}
