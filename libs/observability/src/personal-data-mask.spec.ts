import { REDACTED, maskEmails, maskPersonalData } from './personal-data-mask';

describe('maskEmails', () => {
  it('keeps the domain and drops the local part of every address in a string', () => {
    expect(maskEmails('mail to ada.lovelace+news@example.com and BOB@Mail.Example.ORG failed')).toBe('mail to ***@example.com and ***@Mail.Example.ORG failed');
  });

  it('leaves Message-IDs made from event ids alone, and strings without an @ untouched', () => {
    const messageId = '<3c9e1f20-7b4a-4d8e-a6f1-0e2d5c7b9a13@welcome-email.platform.example>';
    expect(maskEmails(`welcome mail ${messageId} sent`)).toBe(`welcome mail ${messageId} sent`);
    expect(maskEmails('no address here')).toBe('no address here');
  });

  it('hides a password in a connection URL, which looks like an address', () => {
    expect(maskEmails('postgres://app:s3cret@db.internal:5432/accounts')).toBe('postgres://app:***@db.internal:5432/accounts');
  });
});

describe('maskPersonalData', () => {
  it('redacts personal fields by name at any depth and masks addresses in the rest', () => {
    const masked = maskPersonalData({
      accountId: 'a1',
      data: { email: 'ada@example.com', displayName: 'Ada', signupContext: { ip: '203.0.113.5', user_agent: 'curl' } },
      note: 'from ada@example.com',
      tags: ['x', 'y@example.org'],
      missing: undefined,
      empty: null,
    });
    expect(masked).toEqual({
      accountId: 'a1',
      data: { email: REDACTED, displayName: REDACTED, signupContext: { ip: REDACTED, user_agent: REDACTED } },
      note: 'from ***@example.com',
      tags: ['x', '***@example.org'],
      empty: null,
    });
  });

  it('reduces errors, survives cycles and bigints', () => {
    const error = Object.assign(new Error('no mailbox ada@example.com'), { code: 'EENVELOPE' });
    const cyclic: Record<string, unknown> = { n: 10n };
    cyclic.self = cyclic;
    expect(maskPersonalData({ error, cyclic })).toEqual({
      error: { name: 'Error', message: 'no mailbox ***@example.com', code: 'EENVELOPE' },
      cyclic: { n: '10', self: '[circular]' },
    });
  });
});
