import { EventEnvelope, EventType } from '@platform/contracts';
import { AccountStatus, AccountStatusChange } from './account-status-store';

/** The lifecycle events the guard reads; every other type on the topic is skipped unread. */
export const STATUS_EVENT_TYPES: ReadonlySet<string> = new Set([EventType.AccountSuspended, EventType.AccountClosed, EventType.AccountReactivated]);

/** The change an event makes to the guard, or undefined for an event that makes none. */
export function accountStatusChange(event: EventEnvelope): AccountStatusChange | undefined {
  const base = { accountId: event.subject, eventId: event.id };
  switch (event.type) {
    case EventType.AccountSuspended: {
      const data = (event as EventEnvelope<typeof EventType.AccountSuspended>).data;
      return { ...base, accountId: data.accountId, status: AccountStatus.Suspended, changedAt: data.suspendedAt };
    }
    case EventType.AccountClosed: {
      const data = (event as EventEnvelope<typeof EventType.AccountClosed>).data;
      return { ...base, accountId: data.accountId, status: AccountStatus.Closed, changedAt: data.closedAt };
    }
    case EventType.AccountReactivated: {
      const data = (event as EventEnvelope<typeof EventType.AccountReactivated>).data;
      return { ...base, accountId: data.accountId, status: AccountStatus.Active, changedAt: data.reactivatedAt };
    }
    default:
      return undefined;
  }
}
