import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';
import { PUBLIC_ROUTE } from '../api-keys/access.decorator';
import { ServiceUnavailableProblem } from '../problem-details/http-problems';
import { OutboxBacklogMonitor } from './outbox-backlog.monitor';
import { overloadedProblem } from './overloaded.problem';
import { PoolPressure } from './pool-pressure';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The first guard: shedding load must cost nothing, so it decides from counters already in
 * memory, before the API key lookup that would itself queue for a connection.
 * - Too many queries waiting for a pooled connection: every request would wait longer and
 *   longer, then time out; answering 503 at once lets clients back off instead.
 * - Too many unpublished events: the relay (or Kafka) is behind, and more sign-ups would only
 *   make consumers later. Reads go on; only requests that write events are refused.
 * Probes and the API description are never shed.
 */
@Injectable()
export class BackPressureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly pool: PoolPressure,
    private readonly backlog: OutboxBacklogMonitor,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const limits = this.config.backPressure;
    if (this.pool.waiting >= limits.maxPoolWaiters) {
      throw overloadedProblem(limits.poolRetryAfterSeconds);
    }
    const request = context.switchToHttp().getRequest<Request>();
    if (!READ_METHODS.has(request.method) && this.backlog.backlog >= limits.maxOutboxBacklog) {
      throw new ServiceUnavailableProblem({
        code: 'EVENT_BACKLOG',
        title: 'Event publishing is behind',
        detail: 'Too many account events are waiting to be published; changes are paused until the backlog drains. Reads are unaffected.',
        headers: { 'Retry-After': String(limits.backlogRetryAfterSeconds) },
      });
    }
    return true;
  }
}
