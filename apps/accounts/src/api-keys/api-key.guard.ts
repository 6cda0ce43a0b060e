import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenProblem, InternalServerProblem } from '../problem-details/http-problems';
import { ApiKeyScope, grants } from './api-key-scope';
import { API_KEY_CHALLENGE, ApiKeyAuthenticator, unauthenticatedProblem } from './api-key.authenticator';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './access.decorator';
import { attachPrincipal } from './principal';

/**
 * 401 when the request has no usable key (missing, malformed, unknown, revoked: one answer for
 * all, so a caller cannot probe which keys exist); 403 when the key is valid but lacks the scope.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger('ApiKeyGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
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

    const stored = await this.authenticator.authenticate(request);
    if (!stored) throw unauthenticatedProblem();
    if (!grants(stored.scopes, required)) {
      throw new ForbiddenProblem({
        code: 'INSUFFICIENT_SCOPE',
        title: 'Insufficient scope',
        detail: `This operation needs the ${required} scope; the key has ${stored.scopes.join(', ')}.`,
        headers: { 'WWW-Authenticate': `${API_KEY_CHALLENGE}, error="insufficient_scope", scope="${required}"` },
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
