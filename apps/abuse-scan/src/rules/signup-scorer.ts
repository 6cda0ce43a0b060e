import { Verdict, VerdictReason } from '@platform/contracts';
import { AbuseRule, SignupFacts } from './abuse-rule';
import { VerdictPolicy, verdictFor } from './verdict-policy';

export interface SignupScore {
  readonly score: number;
  readonly verdict: Verdict;
  readonly reasons: VerdictReason[];
  /** Every rule that ran, hit or not, plus the policy: a verdict is only explainable with all of them. */
  readonly ruleVersions: Record<string, string>;
}

/** Runs every rule over a signup and maps the summed score to a verdict through the policy's thresholds. */
export class SignupScorer {
  constructor(
    private readonly rules: readonly AbuseRule[],
    private readonly policy: Pick<VerdictPolicy, 'version' | 'thresholds'>,
  ) {}

  score(signup: SignupFacts): SignupScore {
    const reasons: VerdictReason[] = [];
    const ruleVersions: Record<string, string> = { policy: this.policy.version };
    for (const rule of this.rules) {
      ruleVersions[rule.name] = rule.version;
      const hit = rule.evaluate(signup);
      if (hit && hit.score > 0) reasons.push({ rule: hit.rule, score: hit.score, reason: hit.reason });
    }
    const score = reasons.reduce((sum, r) => sum + r.score, 0);
    return { score, verdict: verdictFor(score, this.policy.thresholds), reasons, ruleVersions };
  }
}
