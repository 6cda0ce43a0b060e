import { readFileSync } from 'node:fs';

/**
 * The disposable-mail domains as the `disposable-email-domains` package ships them: index.json
 * (exact domains) and wildcard.json (domains whose every subdomain is disposable too). The list
 * is maintained upstream and updated with `npm update disposable-email-domains`; it is read once
 * at start-up, never per event.
 */
export class DisposableDomains {
  private readonly exact: ReadonlySet<string>;
  private readonly wildcard: ReadonlySet<string>;

  constructor(exact: Iterable<string>, wildcard: Iterable<string> = [], private readonly allowed: ReadonlySet<string> = new Set()) {
    this.exact = new Set([...exact].map((d) => d.toLowerCase()));
    this.wildcard = new Set([...wildcard].map((d) => d.toLowerCase()));
  }

  get size(): number {
    return this.exact.size + this.wildcard.size;
  }

  /**
   * The listed domain that `domain` falls under, or undefined. A subdomain of a listed domain
   * counts: whoever runs mailinator.com also runs every *.mailinator.com.
   */
  match(domain: string): string | undefined {
    const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
    // Stop before the bare TLD: "com" is on no list, and must never match as one.
    for (let i = 0; i < labels.length - 1; i += 1) {
      const candidate = labels.slice(i).join('.');
      if (this.allowed.has(candidate)) return undefined;
      if (this.exact.has(candidate) || this.wildcard.has(candidate)) return candidate;
    }
    return undefined;
  }
}

/** A sanity floor: the package lists well over 100 000 domains; far fewer means a broken install. */
const MIN_EXPECTED_DOMAINS = 1_000;

function readDomainArray(path: string): string[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed) || !parsed.every((d) => typeof d === 'string')) {
    throw new Error(`${path} is not a JSON array of domain names`);
  }
  return parsed;
}

/** Loads the package's lists plus the policy's own additions; throws at start-up if the data is unusable. */
export function loadDisposableDomains(extra: readonly string[] = [], allowed: readonly string[] = []): DisposableDomains {
  const exact = readDomainArray(require.resolve('disposable-email-domains/index.json'));
  const wildcard = readDomainArray(require.resolve('disposable-email-domains/wildcard.json'));
  if (exact.length < MIN_EXPECTED_DOMAINS) {
    throw new Error(`disposable-email-domains lists only ${exact.length} domains; the package looks broken`);
  }
  return new DisposableDomains([...exact, ...extra], wildcard, new Set(allowed.map((d) => d.toLowerCase())));
}
