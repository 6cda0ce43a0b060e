import { BadRequestProblem } from '../problem-details/http-problems';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

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

/** `"a\"b"` → `a"b`; an unquoted value is returned as is; a broken quoted string is undefined. */
function unquoteSfString(value: string): string | undefined {
  if (!value.startsWith('"')) return value;
  const match = /^"((?:[^"\\]|\\["\\])*)"$/.exec(value);
  return match ? match[1].replace(/\\(["\\])/g, '$1') : undefined;
}
