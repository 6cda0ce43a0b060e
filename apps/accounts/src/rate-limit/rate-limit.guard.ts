import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';
import { TooManyRequestsProblem } from '../problem-details/http-problems';
import { optionalPrincipalOf } from '../api-keys/principal';
import { RateLimiter } from './rate-limiter';

/**
 * Runs after the API key guard: the limit is per key (the key's own, or the service default).
 * Public routes carry no principal and are not limited; probes must keep answering.
 * Headers follow the IETF RateLimit fields draft in their simple form, so clients can slow
 * down before they are refused.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter = new RateLimiter();

  constructor(@Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const principal = optionalPrincipalOf(request);
    if (!principal) return true;
    const rate = principal.rateLimitPerSecond ?? this.config.rateLimitPerSecond;
    const decision = this.limiter.take(principal.keyId, rate);
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('RateLimit-Limit', String(decision.limit));
    response.setHeader('RateLimit-Remaining', String(decision.remaining));
    if (decision.allowed) return true;
    throw new TooManyRequestsProblem({
      code: 'RATE_LIMITED',
      title: 'Too many requests',
      detail: `This API key may make ${decision.limit} requests per second; retry after ${decision.retryAfterSeconds} s.`,
      headers: { 'Retry-After': String(decision.retryAfterSeconds), 'RateLimit-Limit': String(decision.limit), 'RateLimit-Remaining': '0' },
    });
  }
}
