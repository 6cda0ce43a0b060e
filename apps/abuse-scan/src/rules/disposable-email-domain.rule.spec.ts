import { signupFacts } from './abuse-rule';
import { DisposableDomains, loadDisposableDomains } from './disposable-domains';
import { DisposableEmailDomainRule } from './disposable-email-domain.rule';

function signup(email: string) {
  return signupFacts({
    accountId: '0b6c3f55-8a2e-4f0e-9d51-7c2b8e9a1d40',
    email,
    displayName: 'Sam Carter',
    signupContext: { ip: '203.0.113.17' },
    createdAt: '2025-11-25T09:30:00.000Z',
  });
}

describe('DisposableEmailDomainRule with the list shipped by disposable-email-domains', () => {
  // Loaded once, as the service does at start-up.
  const domains = loadDisposableDomains(['burner.acme-internal.example'], ['yopmail.net']);
  const rule = new DisposableEmailDomainRule(domains, { weight: 60 });

  it('loads the maintained list', () => {
    expect(domains.size).toBeGreaterThan(100_000);
  });

  it.each(['mailinator.com', 'guerrillamail.com', '10minutemail.com', 'YOPMAIL.com'])('flags %s', (domain) => {
    const hit = rule.evaluate(signup(`sam.carter@${domain}`));
    expect(hit).toEqual({
      rule: 'disposable-email-domain',
      version: '1',
      score: 60,
      reason: `email domain ${domain.toLowerCase()} is a disposable-mail provider`,
    });
  });

  it('flags a subdomain of a listed domain and says which one', () => {
    expect(rule.evaluate(signup('x@inbox.mailinator.com'))?.reason).toBe('email domain inbox.mailinator.com (under mailinator.com) is a disposable-mail provider');
  });

  it.each(['gmail.com', 'outlook.com', 'acme.example', 'posteo.de'])('lets %s through', (domain) => {
    expect(rule.evaluate(signup(`sam.carter@${domain}`))).toBeUndefined();
  });

  it('honours the policy additions and exceptions', () => {
    expect(rule.evaluate(signup('qa@burner.acme-internal.example'))?.score).toBe(60);
    expect(rule.evaluate(signup('sam@yopmail.net'))).toBeUndefined();
  });

  it('never matches on a bare TLD', () => {
    expect(new DisposableDomains(['com']).match('example.com')).toBeUndefined();
  });
});
