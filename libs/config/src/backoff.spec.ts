import { backoffCeilingMs, backoffDelayMs } from './backoff';

describe('backoff with full jitter', () => {
  const bounds = { baseDelayMs: 100, maxDelayMs: 2_000 };

  it('doubles the ceiling per retry and caps it at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 50, 10_000].map((n) => backoffCeilingMs(bounds, n))).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000]);
  });

  it('treats a retry number below 1 as the first retry', () => {
    expect(backoffCeilingMs(bounds, 0)).toBe(100);
    expect(backoffCeilingMs(bounds, -3)).toBe(100);
  });

  it('draws the wait uniformly between zero and the ceiling', () => {
    expect(backoffDelayMs(bounds, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(bounds, 3, () => 0.5)).toBe(200);
    expect(backoffDelayMs(bounds, 3, () => 0.999999)).toBe(399);
    expect(backoffDelayMs(bounds, 50, () => 0.999999)).toBe(1_999);
  });

  it('spreads waits over the whole range rather than clustering them', () => {
    const waits = Array.from({ length: 2_000 }, () => backoffDelayMs(bounds, 4));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(800);
    const lowHalf = waits.filter((w) => w < 400).length;
    expect(lowHalf).toBeGreaterThan(800);
    expect(lowHalf).toBeLessThan(1_200);
  });
});
