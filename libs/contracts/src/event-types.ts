/**
 * Every event type on the wire carries its major version in its name, so a consumer can accept
 * the current and the previous version side by side during an upgrade.
 */
export const EventType = {
  AccountCreated: 'account.created.v1',
  AccountActivated: 'account.activated.v1',
  AccountUpdated: 'account.updated.v1',
  AccountSuspended: 'account.suspended.v1',
  AccountReactivated: 'account.reactivated.v1',
  AccountClosed: 'account.closed.v1',
  AbuseVerdictIssued: 'abuse.verdict.v1',
  ProvisioningCompleted: 'provisioning.completed.v1',
  ProvisioningFailed: 'provisioning.failed.v1',
} as const;

export type EventType = (typeof EventType)[keyof typeof EventType];

export const ALL_EVENT_TYPES: readonly EventType[] = Object.values(EventType);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (ALL_EVENT_TYPES as readonly string[]).includes(value);
}
