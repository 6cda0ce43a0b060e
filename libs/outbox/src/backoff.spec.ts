import { Backoff } from './backoff';

const bounds = { baseDelayMs: 200, maxDelayMs: 10_000 };

describe('Backoff', () => {
  it('grows with consecutive failures up to the cap and starts over after a success', () => {
    const backoff = new Backoff(bounds, () => 0.999999);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([199, 399, 799]);
    expect(backoff.failures).toBe(3);
    for (let i = 0; i < 10; i++) backoff.next();
    expect(backoff.next()).toBe(9_999);
    backoff.reset();
    expect(backoff.failures).toBe(0);
    expect(backoff.next()).toBe(199);
  });
});
