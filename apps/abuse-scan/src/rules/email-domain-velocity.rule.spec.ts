import { randomUUID } from 'node:crypto';
import { signupFacts } from './abuse-rule';
import { EmailDomainVelocityRule } from './email-domain-velocity.rule';

const t0 = Date.parse('2025-11-25T10:00:00Z');

function signup(email: string, secondsAfter: number, accountId = randomUUID()) {
  return signupFacts({
    accountId,
    email,
    displayName: 'Alex Morgan',
    signupContext: { ip: `198.51.100.${secondsAfter % 250}` },
    createdAt: new Date(t0 + secondsAfter * 1000).toISOString(),
  });
}

describe('EmailDomainVelocityRule', () => {
  const options = { weight: 30, windowSeconds: 600, maxSignups: 3, maxTrackedKeys: 1000, ignoredDomains: ['gmail.com'] };

  it('flags a burst of signups at one small domain', () => {
    const rule = new EmailDomainVelocityRule(options);
    const hits = ['anna', 'ben', 'chris', 'dana'].map((name, i) => rule.evaluate(signup(`${name}@quickmail-promo.biz`, i * 30)));
    expect(hits.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(hits[3]).toEqual({
      rule: 'email-domain-velocity',
      version: '1',
      score: 30,
      reason: 'more than 3 signups at quickmail-promo.biz within 600s',
    });
  });

  it('ignores the big mailbox providers named by the policy', () => {
    const rule = new EmailDomainVelocityRule(options);
    for (let i = 0; i < 20; i += 1) expect(rule.evaluate(signup(`person${i}@Gmail.com`, i))).toBeUndefined();
  });

  it('does not flag the same domain spread over more than the window', () => {
    const rule = new EmailDomainVelocityRule(options);
    for (let i = 0; i < 8; i += 1) expect(rule.evaluate(signup(`staff${i}@acme-corp.example`, i * 601))).toBeUndefined();
  });

  it('does not count a redelivered signup of the same account again', () => {
    const rule = new EmailDomainVelocityRule(options);
    const accountId = randomUUID();
    for (let i = 0; i < 6; i += 1) expect(rule.evaluate(signup('retry@tinyco.example', i, accountId))).toBeUndefined();
  });
});
