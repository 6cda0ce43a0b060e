import { BadRequestProblem } from '../problem-details/http-problems';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const CLIENT_ID_HEADER = 'X-Client-Id';

/** The scope of requests that carry no client id. API-key authentication will replace X-Client-Id. */
export const ANONYMOUS_CLIENT_SCOPE = 'anonymous';

/** 1–255 printable ASCII characters: bounded for the primary key, and safe to echo into logs. */
const TOKEN = /^[\x20-\x7e]{1,255}$/;

/**
 * The Idempotency-Key value, or undefined when the header is absent. The draft defines it as a
 * Structured Field string (`"abc"`); a bare token is accepted too, since most clients send one.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header.join(', ') : header;
  const key = unquoteSfString(raw.trim());
  if (key === undefined || !TOKEN.test(key)) {
    throw new BadRequestProblem({
      code: 'IDEMPOTENCY_KEY_INVALID',
      title: 'Invalid Idempotency-Key',
      detail: `The ${IDEMPOTENCY_KEY_HEADER} header must be 1 to 255 printable ASCII characters, optionally as a quoted string.`,
    });
  }
  return key;
}

/**
 * Whose keys a request's key is compared with: two clients choosing the same key must not see
 * each other's responses. Until API keys exist the client names itself with X-Client-Id.
 */
export function parseClientScope(header: string | string[] | undefined): string {
  if (header === undefined) return ANONYMOUS_CLIENT_SCOPE;
  const scope = (Array.isArray(header) ? header.join(', ') : header).trim();
  if (!TOKEN.test(scope)) {
    throw new BadRequestProblem({
      code: 'CLIENT_ID_INVALID',
      title: 'Invalid X-Client-Id',
      detail: `The ${CLIENT_ID_HEADER} header must be 1 to 255 printable ASCII characters.`,
    });
  }
  return scope;
}

/** `"a\"b"` → `a"b`; an unquoted value is returned as is; a broken quoted string is undefined. */
function unquoteSfString(value: string): string | undefined {
  if (!value.startsWith('"')) return value;
  const match = /^"((?:[^"\\]|\\["\\])*)"$/.exec(value);
  return match ? match[1].replace(/\\(["\\])/g, '$1') : undefined;
}
