import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenProblem, InternalServerProblem, UnauthorizedProblem } from '../problem-details/http-problems';
import { ApiKeyScope, grants } from './api-key-scope';
import { parseKey, secretMatches } from './api-key-secret';
import { ActiveKeyCache } from './active-key.cache';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './access.decorator';
import { attachPrincipal } from './principal';

/** RFC 6750 challenge; the realm tells a human which service asked. */
const CHALLENGE = 'Bearer realm="accounts"';

/**
 * 401 when the request has no usable key (missing, malformed, unknown, revoked: one answer for
 * all, so a caller cannot probe which keys exist); 403 when the key is valid but lacks the scope.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger('ApiKeyGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ActiveKeyCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, targets);
    const request = context.switchToHttp().getRequest<Request>();
    if (!required) {
      this.logger.error(`${request.method} ${request.route?.path ?? request.path} declares neither a scope nor public access; refusing`);
      throw new InternalServerProblem();
    }

    const presented = parseKey(bearerToken(request.headers.authorization) ?? '');
    const stored = presented ? await this.keys.find(presented.id) : undefined;
    if (!presented || !stored || !secretMatches(presented.secret, stored.secretSha256)) {
      throw new UnauthorizedProblem({
        code: 'UNAUTHENTICATED',
        title: 'Authentication required',
        detail: 'Send a valid, unrevoked API key as `Authorization: Bearer <key>`.',
        headers: { 'WWW-Authenticate': CHALLENGE },
      });
    }
    if (!grants(stored.scopes, required)) {
      throw new ForbiddenProblem({
        code: 'INSUFFICIENT_SCOPE',
        title: 'Insufficient scope',
        detail: `This operation needs the ${required} scope; the key has ${stored.scopes.join(', ')}.`,
        headers: { 'WWW-Authenticate': `${CHALLENGE}, error="insufficient_scope", scope="${required}"` },
      });
    }
    attachPrincipal(request, {
      keyId: stored.id,
      clientId: stored.clientId,
      scopes: stored.scopes,
      rateLimitPerSecond: stored.rateLimitPerSecond,
    });
    return true;
  }
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}
