import type { Request } from 'express';
import { ApiKeyScope } from './api-key-scope';

/** Who is calling, as established by the API key guard. */
export interface Principal {
  readonly keyId: string;
  /** Names the calling system; Idempotency-Keys are scoped to it. */
  readonly clientId: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly rateLimitPerSecond: number | null;
}

const PRINCIPAL = Symbol('principal');

type WithPrincipal = Request & { [PRINCIPAL]?: Principal };

export function attachPrincipal(request: Request, principal: Principal): void {
  (request as WithPrincipal)[PRINCIPAL] = principal;
}

/** Only called on routes behind the guard, so a missing principal is a wiring bug, not a client error. */
export function principalOf(request: Request): Principal {
  const principal = (request as WithPrincipal)[PRINCIPAL];
  if (!principal) throw new Error('no principal on the request: the route is not behind ApiKeyGuard');
  return principal;
}

export function optionalPrincipalOf(request: Request): Principal | undefined {
  return (request as WithPrincipal)[PRINCIPAL];
}
