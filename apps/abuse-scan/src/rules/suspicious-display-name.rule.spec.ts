import { signupFacts } from './abuse-rule';
import { SuspiciousDisplayNameRule } from './suspicious-display-name.rule';

function signup(displayName: string) {
  return signupFacts({
    accountId: '9a7b6c5d-4e3f-4a1b-8c2d-1e0f9a8b7c6d',
    email: 'someone@example.com',
    displayName,
    signupContext: { ip: '192.0.2.80' },
    createdAt: '2025-11-25T12:00:00.000Z',
  });
}

describe('SuspiciousDisplayNameRule', () => {
  const rule = new SuspiciousDisplayNameRule({ weight: 25, maxLength: 60 });

  it.each([
    ['Cheap meds at https://pharma-deals.example', 'display name contains a link'],
    ['visit www.best-casino-bonus.example now', 'display name contains a link'],
    ['WIN BIG at lucky-spin.xyz', 'display name contains a link'],
    ['Admin\u202Egnp.exe', 'display name contains control characters'],
    ['Line one\r\nBcc: everyone', 'display name contains control characters'],
    [`Best ${'deal '.repeat(14)}`, 'display name is 75 characters long'],
  ])('flags %j', (name, reason) => {
    expect(rule.evaluate(signup(name))).toEqual({ rule: 'suspicious-display-name', version: '1', score: 25, reason });
  });

  it('names every signal in one hit', () => {
    expect(rule.evaluate(signup(`Buy now on shop-deals.top ${'!'.repeat(50)}\u0007`))?.reason).toBe(
      'display name contains a link, is 77 characters long, contains control characters',
    );
  });

  it.each(['Ada Lovelace', 'J. R. R. Tolkien', 'María-José Carreño Quiñones', '李小龙', 'Family 👨‍👩‍👧 account', "Dr. O'Brien"])(
    'lets %j through',
    (name) => {
      expect(rule.evaluate(signup(name))).toBeUndefined();
    },
  );
});
