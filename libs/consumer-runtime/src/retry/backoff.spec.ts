import { backoffCeilingMs, backoffDelayMs } from './backoff';
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy } from './retry-policy';

describe('backoff with full jitter', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 2_000 };

  it('doubles the ceiling per retry and caps it at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffCeilingMs(policy, n))).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000]);
  });

  it('draws the wait uniformly between zero and the ceiling', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelayMs(policy, 3, () => 0.999999)).toBe(399);
  });

  it('spreads waits over the whole range rather than clustering them', () => {
    const waits = Array.from({ length: 2_000 }, () => backoffDelayMs(policy, 4));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(800);
    const lowHalf = waits.filter((w) => w < 400).length;
    expect(lowHalf).toBeGreaterThan(800);
    expect(lowHalf).toBeLessThan(1_200);
  });

  it('fills unset policy fields with the defaults (3 attempts, 100 ms base, 2 s max)', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 });
    expect(resolveRetryPolicy({ attempts: 5, baseDelayMs: undefined })).toEqual({ attempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 });
  });
});
