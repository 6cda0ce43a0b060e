import { AbuseRule, RuleHit, SignupFacts } from './abuse-rule';
import { DisposableDomains } from './disposable-domains';

export interface DisposableEmailDomainOptions {
  readonly weight: number;
}

/** Throwaway inboxes are the cheapest way to make many accounts; legitimate users rarely use them to sign up. */
export class DisposableEmailDomainRule implements AbuseRule {
  static readonly NAME = 'disposable-email-domain';
  readonly name = DisposableEmailDomainRule.NAME;
  readonly version = '1';

  constructor(
    private readonly domains: DisposableDomains,
    private readonly options: DisposableEmailDomainOptions,
  ) {}

  evaluate(signup: SignupFacts): RuleHit | undefined {
    const listed = this.domains.match(signup.domain);
    if (!listed) return undefined;
    const under = listed === signup.domain ? '' : ` (under ${listed})`;
    return {
      rule: this.name,
      version: this.version,
      score: this.options.weight,
      reason: `email domain ${signup.domain}${under} is a disposable-mail provider`,
    };
  }
}
