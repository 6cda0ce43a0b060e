import { resolveLocale } from './locale';
import { renderWelcome } from './welcome-templates';

const base = { displayName: 'Ada Lovelace', productName: 'Acme Cloud', appBaseUrl: 'https://app.acme.example' };

describe('renderWelcome', () => {
  it('renders English subject, greeting and both parts', () => {
    const mail = renderWelcome({ ...base, locale: 'en-GB' });
    expect(mail.locale).toBe('en');
    expect(mail.subject).toBe('Welcome to Acme Cloud');
    expect(mail.text).toContain('Hi Ada Lovelace,');
    expect(mail.html).toContain('<p>Hi Ada Lovelace,</p>');
    expect(mail.html).toContain('<html lang="en">');
  });

  it.each([
    ['de', 'de', 'Willkommen bei Acme Cloud', 'Hallo Ada Lovelace,'],
    ['de-AT', 'de', 'Willkommen bei Acme Cloud', 'Hallo Ada Lovelace,'],
    ['fr-CA', 'fr', 'Bienvenue sur Acme Cloud', 'Bonjour Ada Lovelace,'],
    ['es', 'es', 'Te damos la bienvenida a Acme Cloud', 'Hola Ada Lovelace:'],
    ['pt-BR', 'en', 'Welcome to Acme Cloud', 'Hi Ada Lovelace,'],
    ['zz', 'en', 'Welcome to Acme Cloud', 'Hi Ada Lovelace,'],
  ])('localises %s as %s', (requested, resolved, subject, greeting) => {
    const mail = renderWelcome({ ...base, locale: requested });
    expect(mail.locale).toBe(resolved);
    expect(mail.subject).toBe(subject);
    expect(mail.text.split('\n')[0]).toBe(greeting);
  });

  it('escapes the display name in the HTML part and keeps it verbatim in the text part', () => {
    const name = `<script>alert("x")</script> & 'Bob' $&`;
    const mail = renderWelcome({ ...base, locale: 'en', displayName: name });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Bob&#39; $&amp;,');
    expect(mail.text).toContain(`Hi ${name},`);
  });

  it('builds every link from APP_BASE_URL with the resolved language, keeping a path prefix', () => {
    const mail = renderWelcome({ ...base, locale: 'de-CH', appBaseUrl: 'https://acme.example/platform' });
    expect(mail.text).toContain('https://acme.example/platform/app?lang=de');
    expect(mail.text).toContain('https://acme.example/platform/docs/getting-started?lang=de');
    expect(mail.text).toContain('https://acme.example/platform/settings/account?lang=de');
    expect(mail.html).toContain('href="https://acme.example/platform/app?lang=de"');
    const hrefs = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toHaveLength(3);
    for (const href of hrefs) expect(href.startsWith('https://acme.example/platform/')).toBe(true);
  });

  it('escapes an ampersand of the base URL inside href attributes', () => {
    const mail = renderWelcome({ ...base, locale: 'en', appBaseUrl: 'https://acme.example/team&co/' });
    expect(mail.text).toContain('https://acme.example/team&co/app?lang=en');
    expect(mail.html).toContain('href="https://acme.example/team&amp;co/app?lang=en"');
    expect(mail.html).not.toMatch(/href="[^"]*&(?!amp;)/);
  });
});

describe('resolveLocale', () => {
  it.each([
    ['de_AT', 'de'],
    ['FR', 'fr'],
    ['', 'en'],
    [null, 'en'],
    ['english', 'en'],
  ])('%s → %s', (input, expected) => {
    expect(resolveLocale(input)).toBe(expected);
  });
});
