import { AbuseRule, RuleHit, SignupFacts } from './abuse-rule';
import { ipRangeKey } from './ip-range';
import { SlidingWindowCounter } from './sliding-window-counter';

export interface VelocityOptions {
  readonly weight: number;
  readonly windowSeconds: number;
  /** Signups allowed in the window; the one after them is a hit. */
  readonly maxSignups: number;
  /** Bound on the ranges remembered (LRU); memory stays flat under a flood of distinct ranges. */
  readonly maxTrackedKeys: number;
}

/**
 * Many signups from one network in a short time: a script, a farm, a proxy pool inside one range.
 * Counted per replica in memory (see SlidingWindowCounter).
 */
export class IpRangeVelocityRule implements AbuseRule {
  static readonly NAME = 'ip-range-velocity';
  readonly name = IpRangeVelocityRule.NAME;
  readonly version = '1';
  private readonly counter: SlidingWindowCounter;

  constructor(private readonly options: VelocityOptions) {
    this.counter = new SlidingWindowCounter({
      windowMs: options.windowSeconds * 1000,
      maxKeys: options.maxTrackedKeys,
      // One more than the limit is all it takes to know the limit was passed.
      maxEntriesPerKey: options.maxSignups + 1,
    });
  }

  evaluate(signup: SignupFacts): RuleHit | undefined {
    const range = ipRangeKey(signup.ip);
    if (!range) return undefined;
    const count = this.counter.record(range, signup.accountId, signup.signedUpAt);
    if (count <= this.options.maxSignups) return undefined;
    return {
      rule: this.name,
      version: this.version,
      score: this.options.weight,
      reason: `more than ${this.options.maxSignups} signups from ${range} within ${this.options.windowSeconds}s`,
    };
  }
}
