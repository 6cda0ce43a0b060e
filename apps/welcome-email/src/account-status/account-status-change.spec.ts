import { EventType, createEnvelope } from '@platform/contracts';
import { STATUS_EVENT_TYPES, accountStatusChange } from './account-status-change';

const ACCOUNT = '0b6f4d2e-8c1a-4f3b-9e7d-5a2c1b0d9e8f';

describe('accountStatusChange', () => {
  it('turns a suspension, a closure and a reactivation into the status they leave, timed by the event', () => {
    const suspended = createEnvelope({
      type: EventType.AccountSuspended,
      source: 'urn:platform:accounts',
      subject: ACCOUNT,
      data: { accountId: ACCOUNT, reasons: ['disposable-email-domain'], suspendedAt: '2026-03-01T10:00:00.000Z' },
    });
    const closed = createEnvelope({ type: EventType.AccountClosed, source: 'urn:platform:accounts', subject: ACCOUNT, data: { accountId: ACCOUNT, closedAt: '2026-03-02T08:30:00.000Z' } });
    const reactivated = createEnvelope({
      type: EventType.AccountReactivated,
      source: 'urn:platform:accounts',
      subject: ACCOUNT,
      data: { accountId: ACCOUNT, reason: 'false positive', reactivatedAt: '2026-03-01T11:00:00.000Z' },
    });
    expect(accountStatusChange(suspended)).toEqual({ accountId: ACCOUNT, status: 'suspended', changedAt: '2026-03-01T10:00:00.000Z', eventId: suspended.id });
    expect(accountStatusChange(closed)).toEqual({ accountId: ACCOUNT, status: 'closed', changedAt: '2026-03-02T08:30:00.000Z', eventId: closed.id });
    expect(accountStatusChange(reactivated)).toMatchObject({ status: 'active', changedAt: '2026-03-01T11:00:00.000Z' });
  });

  it('ignores every other lifecycle event', () => {
    const activated = createEnvelope({ type: EventType.AccountActivated, source: 'urn:platform:accounts', subject: ACCOUNT, data: { accountId: ACCOUNT, activatedAt: new Date().toISOString() } });
    expect(accountStatusChange(activated)).toBeUndefined();
    expect(STATUS_EVENT_TYPES.has(EventType.AccountCreated)).toBe(false);
  });
});
