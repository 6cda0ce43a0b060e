import { SupportedLocale } from './locale';

export interface WelcomeLinks {
  readonly dashboard: string;
  readonly gettingStarted: string;
  readonly accountSettings: string;
}

/**
 * Builds every link of the mail from APP_BASE_URL. Paths are resolved relative to the base with a
 * trailing slash, so a base with a path prefix (https://example.com/platform) keeps its prefix,
 * which `new URL('/app', base)` would silently drop.
 */
export function welcomeLinks(appBaseUrl: string, locale: SupportedLocale): WelcomeLinks {
  const base = appBaseUrl.endsWith('/') ? appBaseUrl : `${appBaseUrl}/`;
  const link = (path: string): string => {
    const url = new URL(path, base);
    url.searchParams.set('lang', locale);
    return url.toString();
  };
  return {
    dashboard: link('app'),
    gettingStarted: link('docs/getting-started'),
    accountSettings: link('settings/account'),
  };
}
