import { InvalidLocaleError } from './account.errors';

export const DEFAULT_LOCALE = 'en';
export const DEFAULT_PLAN = 'free';

/**
 * The uniqueness key of an email address: trimmed and lower-cased, so "Ann@Example.com" and
 * " ann@example.com" are the same person. The local part is case-sensitive in theory (RFC 5321)
 * and case-insensitive at every provider that matters; treating it as such prevents duplicates.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Canonical BCP 47 form ("en-us" → "en-US"), so downstream consumers compare tags as strings. */
export function canonicalLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.trim());
    if (canonical) return canonical;
  } catch {
    // RangeError: not a well-formed tag; reported below as a typed error.
  }
  throw new InvalidLocaleError(locale);
}
