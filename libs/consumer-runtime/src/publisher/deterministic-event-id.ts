import { createHash } from 'node:crypto';

/**
 * The namespace of every id this function makes. Changing it changes every derived id, which
 * would break deduplication of reactions already in flight: it is fixed for the platform's life.
 */
export const PLATFORM_EVENT_ID_NAMESPACE = '5b1c2a3e-7d4f-4c6b-9a8e-3f2d1c0b9a87';

/**
 * A name-based UUID (RFC 4122 version 5: SHA-1 over namespace and name). A consumer reacting to an
 * event derives its reaction's id from the cause's id, so a redelivered cause produces a reaction
 * with the same id and downstream inboxes drop the duplicate.
 */
export function deterministicEventId(...parts: string[]): string {
  if (parts.length === 0) throw new TypeError('deterministicEventId needs at least one part');
  // JSON keeps the parts apart unambiguously: ("a", "bc") and ("ab", "c") name different ids.
  return uuidV5(JSON.stringify(parts), PLATFORM_EVENT_ID_NAMESPACE);
}

export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new TypeError(`namespace ${namespace} is not a UUID`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
