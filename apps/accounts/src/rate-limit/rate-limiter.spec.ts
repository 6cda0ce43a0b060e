import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('limits each key on its own', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    expect(limiter.take('a', 1).allowed).toBe(true);
    expect(limiter.take('a', 1)).toEqual({ allowed: false, limit: 1, remaining: 0, retryAfterSeconds: 1 });
    expect(limiter.take('b', 1).allowed).toBe(true);
    now = 1_000;
    expect(limiter.take('a', 1).allowed).toBe(true);
  });

  it('rounds the wait up to whole seconds, at least one, for Retry-After', () => {
    const limiter = new RateLimiter(() => 0);
    limiter.take('k', 100);
    for (let i = 0; i < 99; i++) limiter.take('k', 100);
    expect(limiter.take('k', 100)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('forgets idle keys once many are tracked', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 10_000; i++) limiter.take(`key-${i}`, 10);
    now = 10_000;
    limiter.take('one-more', 10);
    expect(limiter.size).toBe(1);
  });
});
