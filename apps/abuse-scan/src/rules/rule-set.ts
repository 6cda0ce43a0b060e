import { AbuseRule } from './abuse-rule';
import { DisposableDomains } from './disposable-domains';
import { DisposableEmailDomainRule } from './disposable-email-domain.rule';
import { EmailDomainVelocityRule } from './email-domain-velocity.rule';
import { IpRangeVelocityRule } from './ip-range-velocity.rule';
import { SuspiciousDisplayNameRule } from './suspicious-display-name.rule';
import { SuspiciousLocalPartRule } from './suspicious-local-part.rule';
import type { VerdictPolicy } from './verdict-policy';

/** The enabled rules of a policy, in a fixed order so reasons read the same way every time. */
export function buildRules(policy: VerdictPolicy, disposableDomains: DisposableDomains): AbuseRule[] {
  const r = policy.rules;
  const rules: AbuseRule[] = [];
  if (r['disposable-email-domain'].enabled) rules.push(new DisposableEmailDomainRule(disposableDomains, r['disposable-email-domain']));
  if (r['ip-range-velocity'].enabled) rules.push(new IpRangeVelocityRule(r['ip-range-velocity']));
  if (r['email-domain-velocity'].enabled) rules.push(new EmailDomainVelocityRule(r['email-domain-velocity']));
  if (r['suspicious-local-part'].enabled) rules.push(new SuspiciousLocalPartRule(r['suspicious-local-part']));
  if (r['suspicious-display-name'].enabled) rules.push(new SuspiciousDisplayNameRule(r['suspicious-display-name']));
  return rules;
}
