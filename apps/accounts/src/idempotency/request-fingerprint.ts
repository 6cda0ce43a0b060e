import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of the canonical JSON of a parsed request body: object keys sorted at every
 * level, no insignificant whitespace. Two bodies that differ only in key order or formatting
 * mean the same request and get the same fingerprint; any change of a value changes it.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
