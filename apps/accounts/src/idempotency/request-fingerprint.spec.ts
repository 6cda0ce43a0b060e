import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  it('is a hex SHA-256', () => {
    expect(requestFingerprint({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    // sha256('{"a":1}')
    expect(requestFingerprint({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('ignores key order at every level', () => {
    const one = { email: 'ada@example.com', displayName: 'Ada', signupContext: { ip: '203.0.113.7', userAgent: 'curl' } };
    const two = { signupContext: { userAgent: 'curl', ip: '203.0.113.7' }, displayName: 'Ada', email: 'ada@example.com' };
    expect(requestFingerprint(one)).toBe(requestFingerprint(two));
  });

  it('changes with any value, and keeps array order significant', () => {
    const base = requestFingerprint({ email: 'ada@example.com', displayName: 'Ada' });
    expect(requestFingerprint({ email: 'ada@example.com', displayName: 'Ada L' })).not.toBe(base);
    expect(requestFingerprint({ email: 'ada@example.com', displayName: 'Ada', plan: 'free' })).not.toBe(base);
    expect(requestFingerprint([1, 2])).not.toBe(requestFingerprint([2, 1]));
    expect(requestFingerprint({ a: null })).not.toBe(requestFingerprint({}));
  });

  it('writes canonical JSON', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe('{"a":true,"b":[1,{"c":null,"d":"x"}]}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
