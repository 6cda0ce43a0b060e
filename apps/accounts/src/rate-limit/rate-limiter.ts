import { TokenBucket } from './token-bucket';

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until a request would pass; 0 when allowed. */
  readonly retryAfterSeconds: number;
}

/** Buckets beyond this many idle ones are swept, so a flood of distinct keys cannot grow memory without bound. */
const SWEEP_THRESHOLD = 10_000;

/**
 * One token bucket per API key, in this process. With N instances behind a load balancer a
 * key may get up to N times its limit: the limit protects each instance and the database
 * behind it, and keeping it local costs no round trip per request. Bursts of one second's
 * worth are allowed.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly now: () => number = Date.now) {}

  take(keyId: string, ratePerSecond: number): RateLimitDecision {
    const nowMs = this.now();
    let bucket = this.buckets.get(keyId);
    // A changed limit (key re-created with another rate) takes effect with a fresh bucket.
    if (!bucket || bucket.ratePerSecond !== ratePerSecond) {
      if (this.buckets.size >= SWEEP_THRESHOLD) this.sweep(nowMs);
      bucket = new TokenBucket(ratePerSecond, Math.max(1, ratePerSecond), nowMs);
      this.buckets.set(keyId, bucket);
    }
    const outcome = bucket.take(nowMs);
    return outcome.allowed
      ? { allowed: true, limit: ratePerSecond, remaining: outcome.remaining, retryAfterSeconds: 0 }
      : { allowed: false, limit: ratePerSecond, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(nowMs: number): void {
    for (const [keyId, bucket] of this.buckets) if (bucket.isFull(nowMs)) this.buckets.delete(keyId);
  }
}
