import type { DataSource } from 'typeorm';
import type { AccountsConfig } from '../config';
import { IdempotencyKeyStore } from '../idempotency/idempotency-key.store';
import { insertAccountStatement } from './account.repository';
import { accountCreatedEvent, newAccount } from './create-account.service';

describe('insertAccountStatement', () => {
  // Only the statement builders are used: they read the TTL and touch no connection.
  const keys = new IdempotencyKeyStore({} as DataSource, { idempotencyTtlHours: 24 } as AccountsConfig);
  const claim = { clientScope: 'signup-web', key: 'k-1', fingerprint: 'f', token: 't' };
  const response = { status: 201, headers: { location: '/v1/accounts/x' }, body: { id: 'x' } };

  const statements = (email: string, time: Date) => {
    const account = newAccount({ email, displayName: 'Ada', signupContext: { ip: '203.0.113.7' } }, time);
    const created = accountCreatedEvent(account, {}, time);
    return [undefined, keys.firstUse(claim, response), keys.completion(claim, response)].map((precondition) => insertAccountStatement(account, [created], precondition));
  };

  it('names each of its texts once: one name, one text, whatever the account (prepared statements rely on it)', () => {
    const first = statements('ada@example.com', new Date('2026-01-01T00:00:00Z'));
    const second = statements('Grace@Example.org', new Date('2026-06-30T12:00:00Z'));
    expect(new Set(first.map((s) => s.name)).size).toBe(3);
    expect(new Set(first.map((s) => s.sql)).size).toBe(3);
    expect(second.map((s) => [s.name, s.sql])).toEqual(first.map((s) => [s.name, s.sql]));
    expect(second[0].params).not.toEqual(first[0].params);
  });
});
