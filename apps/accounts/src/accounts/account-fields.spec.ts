import { canonicalLocale, normalizeEmail } from './account-fields';
import { InvalidLocaleError } from './account.errors';

describe('account fields', () => {
  it('normalises an email by trimming and lower-casing only', () => {
    expect(normalizeEmail('  Ada.Lovelace+x@Example.COM ')).toBe('ada.lovelace+x@example.com');
  });

  it.each([
    ['en', 'en'],
    ['en-us', 'en-US'],
    ['PT-br', 'pt-BR'],
    ['zh-hant-tw', 'zh-Hant-TW'],
  ])('canonicalises the locale %s to %s', (input, expected) => {
    expect(canonicalLocale(input)).toBe(expected);
  });

  it.each(['not a tag', 'en_US_', '12345678901', 'e'])('refuses the malformed locale %s with a typed error', (input) => {
    expect(() => canonicalLocale(input)).toThrow(InvalidLocaleError);
  });
});
