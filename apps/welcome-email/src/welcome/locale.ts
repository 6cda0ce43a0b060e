/** The languages the welcome mail is written in. English is the fallback for everything else. */
export const SUPPORTED_LOCALES = ['en', 'de', 'fr', 'es'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const FALLBACK_LOCALE: SupportedLocale = 'en';

/**
 * Maps an account's BCP 47 locale to one we have copy for. Only the primary language subtag
 * counts: a reader in Vienna ('de-AT') is better served by German than by English, and we have no
 * regional variants. Underscores ('de_AT', as Java and POSIX write it) are accepted too.
 */
export function resolveLocale(locale: string | null | undefined): SupportedLocale {
  const language = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as SupportedLocale) : FALLBACK_LOCALE;
}
