import type { RetryPolicy } from './retry-policy';

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * the wait is uniform in [0, min(max, base * 2^(n-1))). Full jitter spreads the retries of many
 * consumers that failed together, so a recovering dependency is not hit by a synchronised wave.
 *
 * @param retryNumber 1 for the wait before the second attempt, 2 before the third, ...
 * @param random a source in [0, 1), injectable so tests can pin it
 */
export function backoffDelayMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, retryNumber: number, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(policy, retryNumber));
}

export function backoffCeilingMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, retryNumber: number): number {
  const exponent = Math.max(0, retryNumber - 1);
  // Capping the exponent keeps 2^n finite for absurd retry counts.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
}
