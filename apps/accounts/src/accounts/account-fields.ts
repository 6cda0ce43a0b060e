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

/**
 * Intl's canonicalisation costs a noticeable share of a sign-up's CPU and real traffic uses a
 * few dozen tags, so valid answers are remembered; the bound keeps hostile input from growing it.
 */
const canonicalLocales = new Map<string, string>();
const MAX_REMEMBERED_LOCALES = 1_000;

/** Canonical BCP 47 form ("en-us" → "en-US"), so downstream consumers compare tags as strings. */
export function canonicalLocale(locale: string): string {
  const known = canonicalLocales.get(locale);
  if (known !== undefined) return known;
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.trim());
    if (canonical) {
      if (canonicalLocales.size >= MAX_REMEMBERED_LOCALES) canonicalLocales.clear();
      canonicalLocales.set(locale, canonical);
      return canonical;
    }
  } catch {
    // RangeError: not a well-formed tag; reported below as a typed error.
  }
  throw new InvalidLocaleError(locale);
}
