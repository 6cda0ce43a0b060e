import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A key is `ak_<id>_<secret>`: the id finds the row by primary key, the secret is compared with
 * the stored hash. A plain SHA-256 is enough here (unlike for passwords): the secret is 256
 * random bits, so there is nothing to brute-force, and a slow hash would cost every request.
 * The fixed `ak_` prefix lets secret scanners recognise a leaked key.
 */
const KEY_PATTERN = /^ak_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  readonly id: string;
  /** Shown once to whoever created the key; never stored. */
  readonly key: string;
  readonly secretSha256: Buffer;
}

export interface PresentedKey {
  readonly id: string;
  readonly secret: string;
}

export function issueKey(): IssuedKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `ak_${id}_${secret}`, secretSha256: sha256(secret) };
}

/** Undefined for anything that is not shaped like one of our keys: no database lookup for garbage. */
export function parseKey(raw: string): PresentedKey | undefined {
  const match = KEY_PATTERN.exec(raw);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

/** Constant-time, so response timing says nothing about how much of a guessed secret was right. */
export function secretMatches(secret: string, storedSha256: Buffer): boolean {
  const presented = sha256(secret);
  return presented.length === storedSha256.length && timingSafeEqual(presented, storedSha256);
}

function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
