import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { UnauthorizedProblem } from '../problem-details/http-problems';
import { parseKey, secretMatches } from './api-key-secret';
import { ActiveKeyCache } from './active-key.cache';
import type { StoredApiKey } from './api-key.store';

/** RFC 6750 challenge; the realm tells a human which service asked. */
export const API_KEY_CHALLENGE = 'Bearer realm="accounts"';

/** One answer for every missing, malformed, unknown or revoked key, so a caller cannot probe which keys exist. */
export function unauthenticatedProblem(): UnauthorizedProblem {
  return new UnauthorizedProblem({
    code: 'UNAUTHENTICATED',
    title: 'Authentication required',
    detail: 'Send a valid, unrevoked API key as `Authorization: Bearer <key>`.',
    headers: { 'WWW-Authenticate': API_KEY_CHALLENGE },
  });
}

const AUTHENTICATED = Symbol('authenticated API key');
type Authenticated = IncomingMessage & { [AUTHENTICATED]?: StoredApiKey };

/** The key a request presents, if it is a valid, unrevoked key; undefined otherwise. */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(private readonly keys: ActiveKeyCache) {}

  /** Looked up once per request: the pre-body check and the guard share the answer. */
  async authenticate(request: IncomingMessage): Promise<StoredApiKey | undefined> {
    const known = (request as Authenticated)[AUTHENTICATED];
    if (known) return known;
    const presented = parseKey(bearerToken(request.headers.authorization) ?? '');
    const stored = presented ? await this.keys.find(presented.id) : undefined;
    if (!presented || !stored || !secretMatches(presented.secret, stored.secretSha256)) return undefined;
    (request as Authenticated)[AUTHENTICATED] = stored;
    return stored;
  }
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}
