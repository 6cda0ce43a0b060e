/**
 * What log lines must not carry: email addresses anywhere in a string, and the values of fields
 * named after personal data or credentials. The names follow the personal fields of the event
 * contracts (libs/contracts personal-data.ts) and the account columns, plus secrets; matched
 * without regard to case, `_` or `-`, so `signup_ip` and `signupIp` are the same field.
 */
const PERSONAL_FIELDS = new Set([
  'email',
  'emailnormalized',
  'displayname',
  'externalid',
  'ip',
  'signupip',
  'useragent',
  'signupuseragent',
  'password',
  'authorization',
  'apikey',
  'secret',
  'token',
]);

export const REDACTED = '[redacted]';

// Local part as RFC 5322 allows it unquoted, then a dotted domain. Loose on purpose: a false
// positive costs a masked token, a miss leaks an address.
const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+)/g;
// A UUID before the @ is an id of ours (Message-IDs are `<event id@domain>`), not a person.
const UUID_LOCAL_PART = /(?:^|[^A-Za-z0-9-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `ada.lovelace@example.com` becomes `***@example.com`: the domain still tells a provider apart. */
export function maskEmails(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(EMAIL, (match: string, domain: string) => {
    const local = match.slice(0, match.length - domain.length - 1);
    return UUID_LOCAL_PART.test(local) ? match : `***@${domain}`;
  });
}

export function isPersonalField(name: string): boolean {
  return PERSONAL_FIELDS.has(name.toLowerCase().replace(/[_-]/g, ''));
}

const MAX_DEPTH = 6;

/**
 * A copy of `value` fit for a log line: personal fields redacted, addresses masked, errors reduced
 * to name, message and code, bigints as strings, cycles and deep nesting cut.
 */
export function maskPersonalData(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: maskEmails(value.message), ...(code === undefined ? {} : { code: maskPersonalData(code, depth + 1, seen) }) };
  }
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key] = isPersonalField(key) && item !== null ? REDACTED : maskPersonalData(item, depth + 1, seen);
  }
  return out;
}
