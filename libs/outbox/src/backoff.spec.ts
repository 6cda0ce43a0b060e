import { Backoff, backoffDelayMs } from './backoff';

const options = { initialMs: 200, maxMs: 10_000 };

describe('backoffDelayMs', () => {
  it('doubles per attempt, between half and all of the step', () => {
    expect(backoffDelayMs(0, options, () => 0)).toBe(100);
    expect(backoffDelayMs(0, options, () => 1)).toBe(200);
    expect(backoffDelayMs(3, options, () => 0)).toBe(800);
    expect(backoffDelayMs(3, options, () => 1)).toBe(1600);
  });

  it('never exceeds the cap, however many attempts', () => {
    for (const attempt of [6, 10, 50, 10_000]) {
      expect(backoffDelayMs(attempt, options, () => 1)).toBe(10_000);
      expect(backoffDelayMs(attempt, options, () => 0)).toBe(5_000);
    }
  });

  it('spreads retries of different relays apart', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4, options)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(1600);
  });
});

describe('Backoff', () => {
  it('grows with consecutive failures and starts over after a success', () => {
    const backoff = new Backoff(options, () => 1);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([200, 400, 800]);
    expect(backoff.failures).toBe(3);
    backoff.reset();
    expect(backoff.next()).toBe(200);
  });
});
