import { BackoffBounds, backoffDelayMs } from '@platform/config';

/**
 * The relay's waits after a failure, with the platform's jittered backoff: the jitter keeps
 * several relays (or a relay and its standby) from hammering a recovering broker or database in lock-step.
 */
export const DEFAULT_KAFKA_BACKOFF: BackoffBounds = { baseDelayMs: 200, maxDelayMs: 10_000 };
export const DEFAULT_DATABASE_BACKOFF: BackoffBounds = { baseDelayMs: 200, maxDelayMs: 10_000 };

/** Counts consecutive failures; reset on the first success. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly bounds: BackoffBounds,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    return backoffDelayMs(this.bounds, ++this.attempt, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}
