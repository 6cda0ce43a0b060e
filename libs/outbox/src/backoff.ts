/**
 * Exponential back-off with jitter. The jitter keeps several relays (or a relay and its standby)
 * from hammering a recovering broker or database in lock-step.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_KAFKA_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000 };
export const DEFAULT_DATABASE_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000 };

/**
 * The delay before retry number `attempt` (0-based): the exponential step is capped first, then
 * jittered down to between half and all of it ("equal jitter"), so the delay never collapses to 0
 * and never exceeds the cap.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Counts consecutive failures; reset on the first success. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    return backoffDelayMs(this.attempt++, this.options, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}
