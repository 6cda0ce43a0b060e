import { SlidingWindowCounter } from './sliding-window-counter';

const MIN = 60_000;
const t0 = Date.parse('2025-11-25T10:00:00Z');

describe('SlidingWindowCounter', () => {
  it('counts distinct members within the window and forgets those that slid out', () => {
    const counter = new SlidingWindowCounter({ windowMs: 10 * MIN, maxKeys: 100, maxEntriesPerKey: 50 });
    expect(counter.record('203.0.113.0/24', 'a', t0)).toBe(1);
    expect(counter.record('203.0.113.0/24', 'b', t0 + 2 * MIN)).toBe(2);
    expect(counter.record('203.0.113.0/24', 'c', t0 + 9 * MIN)).toBe(3);
    // 'a' is exactly one window old now and no longer counts.
    expect(counter.record('203.0.113.0/24', 'd', t0 + 10 * MIN)).toBe(3);
    expect(counter.record('198.51.100.0/24', 'e', t0 + 10 * MIN)).toBe(1);
  });

  it('does not count a retried member twice', () => {
    const counter = new SlidingWindowCounter({ windowMs: 10 * MIN, maxKeys: 100, maxEntriesPerKey: 50 });
    counter.record('k', 'acct-1', t0);
    expect(counter.record('k', 'acct-1', t0 + MIN)).toBe(1);
  });

  it('keeps at most maxEntriesPerKey entries per key', () => {
    const counter = new SlidingWindowCounter({ windowMs: 10 * MIN, maxKeys: 100, maxEntriesPerKey: 3 });
    for (let i = 0; i < 10; i += 1) counter.record('k', `m${i}`, t0 + i);
    expect(counter.record('k', 'm10', t0 + 10)).toBe(3);
  });

  it('evicts the least recently used key beyond maxKeys', () => {
    const counter = new SlidingWindowCounter({ windowMs: 10 * MIN, maxKeys: 2, maxEntriesPerKey: 5 });
    counter.record('a', 'm1', t0);
    counter.record('b', 'm2', t0);
    counter.record('a', 'm3', t0 + 1); // 'a' is now the most recently used
    counter.record('c', 'm4', t0 + 2); // evicts 'b'
    expect(counter.size).toBe(2);
    expect(counter.has('a')).toBe(true);
    expect(counter.has('b')).toBe(false);
    expect(counter.has('c')).toBe(true);
  });

  it('rejects options that would make it unbounded or meaningless', () => {
    expect(() => new SlidingWindowCounter({ windowMs: 0, maxKeys: 1, maxEntriesPerKey: 1 })).toThrow(RangeError);
  });
});
