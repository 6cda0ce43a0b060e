import { signupFacts } from './abuse-rule';
import { SuspiciousLocalPartRule } from './suspicious-local-part.rule';

function signup(email: string) {
  return signupFacts({
    accountId: '5d0e1c9b-2f4a-4b7e-8c31-6a9f0d2e7b58',
    email,
    displayName: 'Chris Taylor',
    signupContext: { ip: '192.0.2.44' },
    createdAt: '2025-11-25T11:00:00.000Z',
  });
}

describe('SuspiciousLocalPartRule', () => {
  const rule = new SuspiciousLocalPartRule({ weight: 20, minDigitRun: 6, minConsonantRun: 6, maxPlusTagLength: 20, maxLength: 40 });

  it.each([
    ['jsmith84629173@example.com', 'local part has a run of 8 digits'],
    ['xkqvbzt.w@example.com', 'local part has a random-looking run of consonants'],
    ['alice+1@example.com', 'local part has a numeric plus tag'],
    ['alice+a+b@example.com', 'local part has 2 plus tags'],
    ['bob+k3j4h5g6f7d8s9a0q1w2e3@example.com', 'local part has a 22-character plus tag'],
    ['user839201746+98765@example.com', 'local part has a run of 9 digits, a numeric plus tag'],
  ])('flags %s', (email, reason) => {
    expect(rule.evaluate(signup(email))).toEqual({ rule: 'suspicious-local-part', version: '1', score: 20, reason });
  });

  it('flags a local part longer than the limit', () => {
    const hit = rule.evaluate(signup('firstname.middlename.lastname.departments@example.com'));
    expect(hit?.reason).toBe('local part has 41 characters');
  });

  it.each([
    'jane.doe@example.com',
    'j.schmidt1987@example.de', // a birth year is not a generated run
    'alice+newsletter@example.com', // plus addressing as intended
    'marc-andre.lefebvre@example.fr',
    'tschechow@example.de', // "tsch" is German, not random
  ])('lets %s through', (email) => {
    expect(rule.evaluate(signup(email))).toBeUndefined();
  });

  it('keeps the address itself out of the reason', () => {
    expect(rule.evaluate(signup('jsmith84629173@example.com'))?.reason).not.toContain('jsmith');
  });
});
