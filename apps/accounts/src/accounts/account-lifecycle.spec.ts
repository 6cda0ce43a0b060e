import { EventType, assertEventData } from '@platform/contracts';
import { AccountEntity } from './account.entity';
import { AccountStatus } from './account-state';
import { IllegalTransitionError } from './account.errors';
import { activateAccount, closeAccount, erasedEmail, reactivateAccount, suspendAccount } from './account-lifecycle';
import { ACCOUNTS_EVENT_SOURCE } from './account-events';

const NOW = new Date('2025-01-02T03:04:05.000Z');

function account(overrides: Partial<AccountEntity> = {}): AccountEntity {
  return Object.assign(new AccountEntity(), {
    id: '2f0b3d1e-9f1a-4c2b-8d3e-4f5a6b7c8d9e',
    email: 'Ada@Example.com',
    emailNormalized: 'ada@example.com',
    displayName: 'Ada',
    locale: 'en',
    plan: 'free',
    externalId: 'crm-1',
    status: AccountStatus.Pending,
    signupIp: '203.0.113.7',
    signupUserAgent: 'curl',
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    closedAt: null,
    suspensionReasons: null,
    abuseVerdict: null,
    abuseScore: null,
    provisioningStatus: null,
    workspaceSchema: null,
    ...overrides,
  });
}

describe('account lifecycle operations', () => {
  it('activates a pending account with a valid account.activated.v1 keyed by the account', () => {
    const change = activateAccount(account(), NOW, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(change.changes).toEqual({ status: AccountStatus.Active });
    const [event] = change.events;
    expect(event).toMatchObject({ type: EventType.AccountActivated, subject: account().id, source: ACCOUNTS_EVENT_SOURCE });
    expect(event.data).toEqual({ accountId: account().id, activatedAt: NOW.toISOString() });
    expect(event.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('refuses an illegal move with a typed error naming the state', () => {
    const error = (() => {
      try {
        activateAccount(account({ status: AccountStatus.Suspended }), NOW);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION', from: 'suspended', transition: 'activate' });
  });

  it('suspends with reasons kept on the row and in the event', () => {
    const change = suspendAccount(account({ status: AccountStatus.Active }), ['fraud'], NOW);
    expect(change.changes).toEqual({ status: AccountStatus.Suspended, suspensionReasons: ['fraud'] });
    expect(change.events[0].data).toEqual({ accountId: account().id, reasons: ['fraud'], suspendedAt: NOW.toISOString() });
  });

  it('reactivates to active when provisioned, to pending otherwise, clearing the reasons', () => {
    const provisioned = reactivateAccount(account({ status: AccountStatus.Suspended, provisioningStatus: 'provisioned' }), 'ok', NOW);
    expect(provisioned.changes).toEqual({ status: AccountStatus.Active, suspensionReasons: null });
    const unprovisioned = reactivateAccount(account({ status: AccountStatus.Suspended, provisioningStatus: 'failed' }), 'ok', NOW);
    expect(unprovisioned.changes.status).toBe(AccountStatus.Pending);
    expect(unprovisioned.events[0].type).toBe(EventType.AccountReactivated);
  });

  it('closes with erasure and an event that carries no personal data', () => {
    const original = account({ status: AccountStatus.Active, suspensionReasons: ['ada@example.com looked odd'] });
    const change = closeAccount(original, NOW);
    expect(change.changes).toEqual({
      status: AccountStatus.Closed,
      closedAt: NOW,
      email: erasedEmail(original.id),
      emailNormalized: erasedEmail(original.id),
      displayName: 'erased',
      externalId: null,
      signupIp: null,
      signupUserAgent: null,
      suspensionReasons: null,
    });
    const [event] = change.events;
    expect(event.data).toEqual({ accountId: original.id, closedAt: NOW.toISOString() });
    const wire = JSON.stringify(event);
    for (const personal of ['Ada', 'ada@', 'crm-1', '203.0.113.7', 'curl']) expect(wire).not.toContain(personal);
  });

  it('produces events that satisfy their contract schemas', () => {
    const events = [
      ...activateAccount(account(), NOW).events,
      ...suspendAccount(account(), ['x'], NOW).events,
      ...reactivateAccount(account({ status: AccountStatus.Suspended }), 'y', NOW).events,
      ...closeAccount(account(), NOW).events,
    ];
    for (const e of events) expect(() => assertEventData(e.type, e.data)).not.toThrow();
  });

  it('refuses to build an event that breaks its contract', () => {
    // A reason over the contract's 500 characters must fail here, not in every consumer.
    expect(() => suspendAccount(account(), ['x'.repeat(501)], NOW)).toThrow(/account.suspended.v1 data does not match/);
  });
});
