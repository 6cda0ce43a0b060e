import { randomUUID } from 'node:crypto';
import { signupFacts } from './abuse-rule';
import { loadDisposableDomains } from './disposable-domains';
import { buildRules } from './rule-set';
import { SignupScorer } from './signup-scorer';
import { DEFAULT_POLICY_FILE, loadPolicy } from './verdict-policy';

function signup(email: string, displayName: string, ip: string, at = '2025-11-25T14:00:00.000Z') {
  return signupFacts({ accountId: randomUUID(), email, displayName, signupContext: { ip }, createdAt: at });
}

describe('SignupScorer with the default policy and the real rules', () => {
  const policy = loadPolicy(DEFAULT_POLICY_FILE);
  const domains = loadDisposableDomains();
  const newScorer = () => new SignupScorer(buildRules(policy, domains), policy);

  it('allows an ordinary signup and still records every rule version and the policy', () => {
    const result = newScorer().score(signup('grace.hopper@navy.example', 'Grace Hopper', '192.0.2.10'));
    expect(result).toEqual({
      score: 0,
      verdict: 'allow',
      reasons: [],
      ruleVersions: {
        policy: policy.version,
        'disposable-email-domain': '1',
        'ip-range-velocity': '1',
        'email-domain-velocity': '1',
        'suspicious-local-part': '1',
        'suspicious-display-name': '1',
      },
    });
  });

  it('sends a disposable address to review', () => {
    const result = newScorer().score(signup('grace@mailinator.com', 'Grace', '192.0.2.11'));
    expect(result.score).toBe(60);
    expect(result.verdict).toBe('review');
    expect(result.reasons.map((r) => r.rule)).toEqual(['disposable-email-domain']);
  });

  it('blocks a disposable, generated address with a spam display name', () => {
    const result = newScorer().score(signup('xq84629173@mailinator.com', 'FREE spins at www.lucky-casino.example', '192.0.2.12'));
    expect(result.reasons.map((r) => r.rule)).toEqual(['disposable-email-domain', 'suspicious-local-part', 'suspicious-display-name']);
    expect(result.score).toBe(60 + 20 + 25);
    expect(result.verdict).toBe('block');
  });

  it('reviews the eleventh signup from one /24 within the hour', () => {
    const scorer = newScorer();
    const results = Array.from({ length: 11 }, (_, i) =>
      scorer.score(signup(`member${String.fromCharCode(97 + i)}@gmail.com`, 'New Member', `198.51.100.${10 + i}`, `2025-11-25T14:${String(i).padStart(2, '0')}:00.000Z`)),
    );
    expect(results.slice(0, 10).every((r) => r.verdict === 'allow')).toBe(true);
    expect(results[10].verdict).toBe('review');
    expect(results[10].reasons[0].reason).toBe('more than 10 signups from 198.51.100.0/24 within 3600s');
  });

  it('skips disabled rules entirely', () => {
    const relaxed = { ...policy, rules: { ...policy.rules, 'disposable-email-domain': { ...policy.rules['disposable-email-domain'], enabled: false } } };
    const result = new SignupScorer(buildRules(relaxed, domains), relaxed).score(signup('grace@mailinator.com', 'Grace', '192.0.2.13'));
    expect(result.verdict).toBe('allow');
    expect(result.ruleVersions).not.toHaveProperty('disposable-email-domain');
  });
});
