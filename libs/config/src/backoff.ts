/** The bounds of an exponential backoff: the first wait's ceiling, doubled per retry up to the largest. */
export interface BackoffBounds {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The one exponential backoff of the platform: full jitter (AWS Architecture Blog, "Exponential
 * Backoff and Jitter"), the wait uniform in [0, min(max, base * 2^(n-1))).
 *
 * Full rather than decorrelated jitter because it needs no state beyond the retry number (a loop
 * counter every caller already has), and of the schemes compared there it does the least total
 * work; rather than equal jitter because half of every wait is then fixed, so callers that failed
 * together (consumers after a database blip, relays after a broker restart) still retry in a band.
 *
 * @param retryNumber 1 for the wait before the second attempt, 2 before the third, ...
 * @param random a source in [0, 1), injectable so tests can pin it
 */
export function backoffDelayMs(bounds: BackoffBounds, retryNumber: number, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(bounds, retryNumber));
}

export function backoffCeilingMs(bounds: BackoffBounds, retryNumber: number): number {
  const exponent = Math.max(0, retryNumber - 1);
  // Capping the exponent keeps 2^n finite for absurd retry counts.
  return Math.min(bounds.maxDelayMs, bounds.baseDelayMs * 2 ** Math.min(exponent, 30));
}
