import { AbuseRule, RuleHit, SignupFacts } from './abuse-rule';
import type { VelocityOptions } from './ip-range-velocity.rule';
import { SlidingWindowCounter } from './sliding-window-counter';

export interface EmailDomainVelocityOptions extends VelocityOptions {
  /**
   * Big mailbox providers, where thousands of signups an hour are normal; counting them would
   * flag everyone. A burst from a small or freshly registered domain is what this rule is after.
   */
  readonly ignoredDomains: readonly string[];
}

/** Many signups with addresses at one domain in a short time. Counted per replica in memory. */
export class EmailDomainVelocityRule implements AbuseRule {
  static readonly NAME = 'email-domain-velocity';
  readonly name = EmailDomainVelocityRule.NAME;
  readonly version = '1';
  private readonly counter: SlidingWindowCounter;
  private readonly ignored: ReadonlySet<string>;

  constructor(private readonly options: EmailDomainVelocityOptions) {
    this.counter = new SlidingWindowCounter({
      windowMs: options.windowSeconds * 1000,
      maxKeys: options.maxTrackedKeys,
      maxEntriesPerKey: options.maxSignups + 1,
    });
    this.ignored = new Set(options.ignoredDomains.map((d) => d.toLowerCase()));
  }

  evaluate(signup: SignupFacts): RuleHit | undefined {
    if (!signup.domain || this.ignored.has(signup.domain)) return undefined;
    const count = this.counter.record(signup.domain, signup.accountId, signup.signedUpAt);
    if (count <= this.options.maxSignups) return undefined;
    return {
      rule: this.name,
      version: this.version,
      score: this.options.weight,
      reason: `more than ${this.options.maxSignups} signups at ${signup.domain} within ${this.options.windowSeconds}s`,
    };
  }
}
