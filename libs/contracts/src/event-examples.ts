import { randomUUID } from 'node:crypto';
import type { EventDataMap } from './event-catalog';
import { EventType } from './event-types';
import { EventEnvelope, createEnvelope } from './envelope';

const AT = '2025-11-25T15:00:00.000Z';

/**
 * A valid instance of every event type's data, for tests and docs: a consumer's specs build the
 * events they feed their handlers from here, so they keep passing validation when a schema
 * changes. Typed so that a new event type cannot be added without an example.
 */
const EXAMPLES: { readonly [T in EventType]: (accountId: string) => EventDataMap[T] } = {
  [EventType.AccountCreated]: (accountId) => ({
    accountId,
    email: 'ada@example.com',
    displayName: 'Ada Lovelace',
    locale: 'en',
    plan: 'free',
    externalId: null,
    signupContext: { ip: '203.0.113.7', userAgent: 'example' },
    createdAt: AT,
  }),
  [EventType.AccountActivated]: (accountId) => ({ accountId, activatedAt: AT }),
  [EventType.AccountUpdated]: (accountId) => ({ accountId, version: 2, changedFields: ['displayName'], updatedAt: AT }),
  [EventType.AccountSuspended]: (accountId) => ({ accountId, reasons: ['example'], suspendedAt: AT }),
  [EventType.AccountReactivated]: (accountId) => ({ accountId, reason: 'example', reactivatedAt: AT }),
  [EventType.AccountClosed]: (accountId) => ({ accountId, closedAt: AT }),
  [EventType.AbuseVerdictIssued]: (accountId) => ({
    accountId,
    causationId: randomUUID(),
    score: 0,
    verdict: 'allow',
    reasons: [],
    ruleVersions: { policy: '1' },
    scannedAt: AT,
  }),
  [EventType.ProvisioningCompleted]: (accountId) => ({ accountId, causationId: randomUUID(), workspace: { schema: 'tenant_example' }, completedAt: AT }),
  [EventType.ProvisioningFailed]: (accountId) => ({ accountId, causationId: randomUUID(), step: 'create-schema', errorCode: 'EXAMPLE', failedAt: AT }),
};

export function exampleEventData<T extends EventType>(type: T, accountId: string = randomUUID()): EventDataMap[T] {
  return (EXAMPLES[type] as (accountId: string) => EventDataMap[T])(accountId);
}

/** A whole event of the type, with a fresh id and account unless given. */
export function exampleEvent<T extends EventType>(type: T, options: { accountId?: string; id?: string } = {}): EventEnvelope<T> {
  const accountId = options.accountId ?? randomUUID();
  return createEnvelope({ type, id: options.id, source: 'urn:platform:example', subject: accountId, data: exampleEventData(type, accountId) });
}
