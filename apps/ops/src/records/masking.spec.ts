import { EventType } from '@platform/contracts';
import { MASK, maskEventData, redactText } from './masking';

describe('maskEventData', () => {
  const created = {
    accountId: '7a1f3c52-95b6-4d8e-b7a5-0c1d2e3f4a5b',
    email: 'ada@example.com',
    displayName: 'Ada Lovelace',
    locale: 'en',
    plan: 'free',
    externalId: null,
    signupContext: { ip: '203.0.113.7', userAgent: 'curl/8', referrer: 'https://example.com/?u=ada' },
    createdAt: '2025-06-01T12:00:00.000Z',
    favouriteColour: 'green',
  };

  it('masks the declared personal fields and keeps what operators need', () => {
    const masked = maskEventData(EventType.AccountCreated, created) as typeof created;
    expect(masked).toMatchObject({
      accountId: created.accountId,
      email: MASK,
      displayName: MASK,
      locale: 'en',
      plan: 'free',
      createdAt: created.createdAt,
      signupContext: { ip: MASK, userAgent: MASK },
    });
    // "none recorded" stays visible.
    expect(masked.externalId).toBeNull();
  });

  it('masks fields the schema does not describe, at any depth', () => {
    const masked = maskEventData(EventType.AccountCreated, created) as Record<string, unknown>;
    expect(masked.favouriteColour).toBe(MASK);
    expect((masked.signupContext as Record<string, unknown>).referrer).toBe(MASK);
  });

  it('masks free text in arrays and leaves types without personal data alone', () => {
    const suspended = { accountId: 'a', reasons: ['complaint by Bob Smith', 'spam'], suspendedAt: 't' };
    expect(maskEventData(EventType.AccountSuspended, suspended)).toEqual({ ...suspended, reasons: [MASK, MASK] });
    const closed = { accountId: 'a', closedAt: 't' };
    expect(maskEventData(EventType.AccountClosed, closed)).toEqual(closed);
  });

  it('masks all of the data of a type it does not know', () => {
    expect(maskEventData('account.renamed.v9', { accountId: 'a', name: 'x' })).toEqual({ accountId: MASK, name: MASK });
  });
});

describe('redactText', () => {
  it('takes addresses and IPs out of free text', () => {
    expect(redactText('550 5.1.1 <ada@example.com>: mailbox unavailable')).toBe(`550 5.1.1 <${MASK}@${MASK}>: mailbox unavailable`);
    expect(redactText('connect ECONNREFUSED 10.0.0.12:25')).toBe(`connect ECONNREFUSED ${MASK}:25`);
    expect(redactText('from 2001:db8:85a3:0:0:8a2e:370:7334 and fe80::1')).toBe(`from ${MASK} and ${MASK}`);
    expect(redactText('at handler (/app/src/welcome.ts:12:34)')).toBe('at handler (/app/src/welcome.ts:12:34)');
  });
});
