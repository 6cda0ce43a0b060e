import { randomUUID } from 'node:crypto';
import { signupFacts } from './abuse-rule';
import { IpRangeVelocityRule } from './ip-range-velocity.rule';

const t0 = Date.parse('2025-11-25T10:00:00Z');

function signup(ip: string | null, minutesAfter: number) {
  return signupFacts({
    accountId: randomUUID(),
    email: `user${minutesAfter}@acme.example`,
    displayName: 'Jo Bloggs',
    signupContext: { ip },
    createdAt: new Date(t0 + minutesAfter * 60_000).toISOString(),
  });
}

describe('IpRangeVelocityRule', () => {
  const options = { weight: 40, windowSeconds: 3600, maxSignups: 3, maxTrackedKeys: 1000 };

  it('flags the signup that exceeds the limit within one /24, whatever the last octet', () => {
    const rule = new IpRangeVelocityRule(options);
    expect(rule.evaluate(signup('203.0.113.10', 0))).toBeUndefined();
    expect(rule.evaluate(signup('203.0.113.11', 5))).toBeUndefined();
    expect(rule.evaluate(signup('203.0.113.12', 10))).toBeUndefined();
    expect(rule.evaluate(signup('203.0.113.200', 15))).toEqual({
      rule: 'ip-range-velocity',
      version: '1',
      score: 40,
      reason: 'more than 3 signups from 203.0.113.0/24 within 3600s',
    });
  });

  it('counts IPv6 per /64, so rotating addresses inside it does not help', () => {
    const rule = new IpRangeVelocityRule(options);
    const ips = ['2a02:8108:1240:5e00::1', '2a02:8108:1240:5e00::2', '2a02:8108:1240:5e00:ffff::3', '2a02:8108:1240:5e00:abcd:1234:5678:9'];
    const hits = ips.map((ip, i) => rule.evaluate(signup(ip, i)));
    expect(hits.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(hits[3]?.reason).toContain('2a02:8108:1240:5e00::/64');
  });

  it('lets the range recover once the window has passed', () => {
    const rule = new IpRangeVelocityRule(options);
    for (let i = 0; i < 4; i += 1) rule.evaluate(signup('198.51.100.7', i));
    expect(rule.evaluate(signup('198.51.100.7', 5))).toBeDefined();
    expect(rule.evaluate(signup('198.51.100.7', 5 + 61))).toBeUndefined();
  });

  it('keeps separate ranges apart and ignores signups without an address', () => {
    const rule = new IpRangeVelocityRule(options);
    for (let i = 0; i < 5; i += 1) expect(rule.evaluate(signup(`10.${i}.0.1`, i))).toBeUndefined();
    for (let i = 0; i < 10; i += 1) expect(rule.evaluate(signup(null, i))).toBeUndefined();
  });
});
