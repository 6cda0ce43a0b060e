import { escapeHtml } from './html-escape';
import { SupportedLocale, resolveLocale } from './locale';
import { WELCOME_COPY } from './welcome-copy';
import { welcomeLinks } from './welcome-links';

export interface WelcomeTemplateInput {
  /** The account's locale as given at signup; resolved here, with English as the fallback. */
  readonly locale: string;
  readonly displayName: string;
  readonly productName: string;
  readonly appBaseUrl: string;
}

export interface RenderedWelcome {
  readonly locale: SupportedLocale;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** A function replacer, so a name like "$&" is inserted literally instead of as a replacement pattern. */
function greet(greeting: string, name: string): string {
  return greeting.replace('{name}', () => name);
}

/**
 * Renders both parts of the welcome mail. Every interpolated value goes through escapeHtml in the
 * HTML part, links included: a URL may legally contain '&', which is '&amp;' inside an attribute.
 */
export function renderWelcome(input: WelcomeTemplateInput): RenderedWelcome {
  const locale = resolveLocale(input.locale);
  const copy = WELCOME_COPY[locale];
  const links = welcomeLinks(input.appBaseUrl, locale);
  const product = input.productName;
  const e = escapeHtml;

  const text = [
    greet(copy.greeting, input.displayName),
    '',
    copy.intro(product),
    '',
    `${copy.cta}: ${links.dashboard}`,
    '',
    `${copy.gettingStarted} ${links.gettingStarted}`,
    '',
    `${copy.settings} ${links.accountSettings}`,
    '',
    copy.notYou,
    '',
    `-- `,
    copy.signoff(product),
    '',
  ].join('\n');

  const html = `<!DOCTYPE html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${e(copy.subject(product))}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1f2933;">
<p>${greet(e(copy.greeting), e(input.displayName))}</p>
<p>${e(copy.intro(product))}</p>
<p><a href="${e(links.dashboard)}" style="display: inline-block; padding: 10px 18px; background: #2563eb; color: #ffffff; text-decoration: none; border-radius: 4px;">${e(copy.cta)}</a></p>
<p>${e(copy.gettingStarted)} <a href="${e(links.gettingStarted)}">${e(links.gettingStarted)}</a></p>
<p>${e(copy.settings)} <a href="${e(links.accountSettings)}">${e(links.accountSettings)}</a></p>
<p style="color: #6b7280; font-size: 0.9em;">${e(copy.notYou)}</p>
<p>${e(copy.signoff(product))}</p>
</body>
</html>
`;

  return { locale, subject: copy.subject(product), html, text };
}
