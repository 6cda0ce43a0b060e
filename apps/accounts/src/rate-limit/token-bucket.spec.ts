import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('lets a burst up to its capacity through, then refuses with the wait until the next token', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 2 });
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 1 });
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 0 });
    expect(bucket.take(0)).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(bucket.take(40)).toEqual({ allowed: false, retryAfterMs: 60 });
  });

  it('refills at its rate, never beyond its capacity', () => {
    const bucket = new TokenBucket(2, 2, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.take(500).allowed).toBe(true);
    expect(bucket.take(500).allowed).toBe(false);
    expect(bucket.isFull(60_000)).toBe(true);
    expect(bucket.take(60_000)).toEqual({ allowed: true, remaining: 1 });
  });

  it('holds a steady rate above its refill rate to the refill rate', () => {
    const bucket = new TokenBucket(5, 5, 0);
    let allowed = 0;
    // 50 requests per second for 10 seconds.
    for (let t = 0; t < 10_000; t += 20) if (bucket.take(t).allowed) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(50);
    expect(allowed).toBeLessThanOrEqual(55);
  });

  it('does not go backwards when the clock does', () => {
    const bucket = new TokenBucket(1, 1, 1_000);
    expect(bucket.take(1_000).allowed).toBe(true);
    expect(bucket.take(500).allowed).toBe(false);
  });
});
