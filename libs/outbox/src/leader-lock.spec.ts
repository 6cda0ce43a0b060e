import { leaderLockKey } from './leader-lock';
import { outboxTable } from './outbox-claimer';
import { RelayConfigError } from './relay-errors';

describe('leaderLockKey', () => {
  it('is a stable signed 64-bit integer per schema', () => {
    const key = leaderLockKey('accounts');
    expect(key).toBe(leaderLockKey('accounts'));
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });

  it('differs between schemas, so their relays do not block each other', () => {
    expect(leaderLockKey('accounts')).not.toBe(leaderLockKey('billing'));
  });
});

describe('outboxTable', () => {
  it('quotes a plain identifier', () => {
    expect(outboxTable('accounts')).toBe('"accounts".outbox');
  });

  it.each(['Accounts', 'a"; DROP TABLE x; --', '', '1abc', 'a-b'])('refuses %j, which would be spliced into SQL', (schema) => {
    expect(() => outboxTable(schema)).toThrow(RelayConfigError);
  });
});
