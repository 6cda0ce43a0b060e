/**
 * Signups as a real client makes them: a realistic person per request, an Idempotency-Key per
 * signup, and retries of the same key and body on network errors, 429, 503 (and other 5xx, and a
 * 409 "request in progress"), honouring Retry-After with jitter.
 */
import { randomUUID } from 'node:crypto';
import { BackoffBounds, backoffDelayMs } from '@platform/config';
import { Rng } from './seeded';
import { sleep } from './sleep';

const FIRST = ['ada', 'grace', 'alan', 'linus', 'marie', 'emmy', 'carl', 'hedy', 'nina', 'otto', 'paula', 'rosa', 'sven', 'tara', 'ugo', 'vera', 'wim', 'yara', 'zoe', 'ben', 'clara', 'dora', 'elias', 'frida', 'jonas', 'lena', 'mila', 'noah', 'oskar', 'pia'];
const LAST = ['lovelace', 'hopper', 'turing', 'curie', 'noether', 'gauss', 'lamarr', 'simone', 'berger', 'meyer', 'weber', 'wagner', 'becker', 'hoffmann', 'koch', 'richter', 'klein', 'wolf', 'neumann', 'braun', 'kruger', 'hartmann', 'lange', 'werner', 'krause', 'lehmann', 'kaiser', 'fuchs', 'peters', 'moller'];
const LOCALES = ['en', 'de', 'fr-FR', 'en-GB', 'es'];

export interface SignupBody {
  email: string;
  displayName: string;
  locale: string;
  signupContext: { ip: string; userAgent: string };
}

/**
 * The n-th person of a run. Nothing here trips abuse-scan's default policy
 * (apps/abuse-scan/src/rules/default-policy.json): the domain is nobody's disposable one and
 * takes at most `perDomain` signups (the domain-velocity limit is 20 per 10 minutes); every
 * signup comes from its own /24 (the range limit is 10 per hour); the local part has no run of
 * 6 digits or consonants and no plus tag; the display name is a plain name.
 */
export function person(run: string, n: number, perDomain = 10): SignupBody {
  const first = FIRST[n % FIRST.length];
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length];
  const domain = `${run}-mail${Math.floor(n / perDomain)}.example.org`;
  // One /24 per signup: 11.0.0.x .. 11.255.255.x, then 12.x and so on.
  const ip = `${11 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}.${1 + (n % 200)}`;
  return {
    email: `${first}.${last}.${n}@${domain}`,
    displayName: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`,
    locale: LOCALES[n % LOCALES.length],
    signupContext: { ip, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) chaos-run' },
  };
}

export interface SignupOutcome {
  readonly n: number;
  readonly key: string;
  readonly email: string;
  /** The final status: 201 unless the client gave up (then the last status, or 0 for a network error). */
  status: number;
  accountId?: string;
  attempts: number;
  /** Status (or 'network') of every attempt that was retried. */
  readonly retried: Record<string, number>;
  readonly startedAt: number;
  finishedAt?: number;
  error?: string;
}

export interface SignupClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Per attempt. */
  readonly requestTimeoutMs: number;
  /** The client gives up after this long in total. */
  readonly giveUpAfterMs: number;
  readonly rng: Rng;
  /** Called for every response (including retried ones), for timelines. */
  readonly onResponse?: (status: number | 'network') => void;
}

const RETRIABLE = new Set([429, 500, 502, 503, 504]);

/** Without Retry-After: from 400 ms after the first attempt, doubling, at most 5 s. */
const RETRY_BACKOFF: BackoffBounds = { baseDelayMs: 400, maxDelayMs: 5_000 };

function retryDelayMs(response: Response | undefined, attempt: number, rng: Rng): number {
  const header = response?.headers.get('retry-after');
  const seconds = header !== null && header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
  // Retry-After is a floor the server asked for, so its jitter only adds (up to 50%).
  if (seconds !== undefined) return seconds * 1000 * (1 + rng.next() * 0.5);
  return backoffDelayMs(RETRY_BACKOFF, attempt, () => rng.next());
}

export async function signUp(n: number, body: SignupBody, options: SignupClientOptions): Promise<SignupOutcome> {
  const outcome: SignupOutcome = { n, key: randomUUID(), email: body.email, status: 0, attempts: 0, retried: {}, startedAt: Date.now() };
  const payload = JSON.stringify(body);
  for (;;) {
    outcome.attempts++;
    let response: Response | undefined;
    let retry: string | undefined;
    try {
      response = await fetch(`${options.baseUrl}/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}`, 'idempotency-key': outcome.key },
        body: payload,
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      options.onResponse?.(response.status);
      const text = await response.text();
      outcome.status = response.status;
      if (response.status === 201) {
        outcome.accountId = (JSON.parse(text) as { id: string }).id;
        outcome.finishedAt = Date.now();
        return outcome;
      }
      if (RETRIABLE.has(response.status)) retry = String(response.status);
      // The first attempt may still be running (or was cut off by a crash before it let go of the key).
      else if (response.status === 409 && /in progress/i.test(text)) retry = '409-in-progress';
      else outcome.error = text.slice(0, 300);
    } catch (error) {
      options.onResponse?.('network');
      outcome.status = 0;
      retry = 'network';
      outcome.error = (error as Error).message;
    }
    if (!retry || Date.now() - outcome.startedAt > options.giveUpAfterMs) {
      outcome.finishedAt = Date.now();
      return outcome;
    }
    outcome.retried[retry] = (outcome.retried[retry] ?? 0) + 1;
    await sleep(retryDelayMs(response, outcome.attempts, options.rng));
  }
}
