import { BadRequestException, ExecutionContext, Logger, PayloadTooLargeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { AccountIdPipe } from '../accounts/account-id.pipe';
import { accountProblem } from '../accounts/account-http-errors';
import {
  AccountClosedError,
  AccountNotFoundError,
  EmailAlreadyRegisteredError,
  ExternalIdAlreadyRegisteredError,
  ExternalIdImmutableError,
  IllegalTransitionError,
  InvalidLocaleError,
  StaleVersionError,
} from '../accounts/account.errors';
import { ChangeAccountStatusHttpController } from '../accounts/change-account-status.http.controller';
import { parseCreateAccountRequest } from '../accounts/create-account.request';
import { GetAccountHttpController } from '../accounts/get-account.http.controller';
import { parseIfMatch, requireIfMatch } from '../accounts/if-match';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { ApiKeyScope } from '../api-keys/api-key-scope';
import { issueKey } from '../api-keys/api-key-secret';
import type { StoredApiKey } from '../api-keys/api-key.store';
import type { ActiveKeyCache } from '../api-keys/active-key.cache';
import { ApiKeyAuthenticator } from '../api-keys/api-key.authenticator';
import { attachPrincipal } from '../api-keys/principal';
import { BackPressureGuard } from '../back-pressure/back-pressure.guard';
import type { OutboxBacklogMonitor } from '../back-pressure/outbox-backlog.monitor';
import { overloadedProblem } from '../back-pressure/overloaded.problem';
import type { PoolPressure } from '../back-pressure/pool-pressure';
import type { AccountsConfig } from '../config';
import { HealthHttpController } from '../health/health.http.controller';
import { idempotencyProblem } from '../idempotency/idempotency-http-errors';
import { parseIdempotencyKey } from '../idempotency/idempotency-key';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from '../idempotency/idempotency.errors';
import { HttpProblem, InternalServerProblem } from '../problem-details/http-problems';
import { JsonContentTypeGuard } from '../problem-details/json-content-type.guard';
import { ProblemDetailsFilter } from '../problem-details/problem-details.filter';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import type { HttpMethod } from './openapi-types';
import { PROBLEMS, ProblemCode, headersOf } from './problem-catalog';

/** Runs what the service runs and returns the problem it raises. */
async function raised(action: () => unknown): Promise<HttpProblem> {
  try {
    await action();
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('no problem was raised');
}

function mapped(problem: HttpProblem | undefined): HttpProblem {
  if (!problem) throw new Error('the error was not mapped to a problem');
  return problem;
}

const request = (method: string, headers: Record<string, string> = {}) => ({ method, headers, path: '/v1/accounts', url: '/v1/accounts', originalUrl: '/v1/accounts' });

function httpContext(req: object, handler: object = GetAccountHttpController.prototype.get, controller: object = GetAccountHttpController): ExecutionContext {
  const response = { setHeader: () => undefined };
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

const filter = new ProblemDetailsFilter({ bodyLimitBytes: 1024, logger: { log() {}, error() {}, warn() {} } });

function apiKeyGuard(stored?: StoredApiKey): ApiKeyGuard {
  return new ApiKeyGuard(new Reflector(), new ApiKeyAuthenticator({ find: async () => stored } as unknown as ActiveKeyCache));
}

async function insufficientScope(): Promise<HttpProblem> {
  const issued = issueKey();
  const stored = { id: issued.id, clientId: 'c', scopes: [ApiKeyScope.Read], secretSha256: issued.secretSha256, rateLimitPerSecond: null } as unknown as StoredApiKey;
  const admin = ChangeAccountStatusHttpController;
  const ctx = httpContext(request('POST', { authorization: `Bearer ${issued.key}` }), admin.prototype.suspend, admin);
  return raised(() => apiKeyGuard(stored).canActivate(ctx));
}

async function rateLimited(): Promise<HttpProblem> {
  const guard = new RateLimitGuard({ rateLimitPerSecond: 1 } as AccountsConfig);
  const req = request('GET');
  attachPrincipal(req as never, { keyId: 'k', clientId: 'c', scopes: [ApiKeyScope.Read], rateLimitPerSecond: null });
  guard.canActivate(httpContext(req));
  return raised(() => guard.canActivate(httpContext(req)));
}

function backPressureGuard(waiting: number, backlog: number): BackPressureGuard {
  const config = { backPressure: { maxPoolWaiters: 10, poolRetryAfterSeconds: 1, maxOutboxBacklog: 10, backlogRetryAfterSeconds: 5 } } as AccountsConfig;
  return new BackPressureGuard(new Reflector(), { waiting } as PoolPressure, { backlog } as OutboxBacklogMonitor, config);
}

async function notReady(): Promise<HttpProblem> {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    const health = new HealthHttpController({ query: () => Promise.reject(new Error('down')) } as unknown as DataSource);
    return await raised(() => health.ready());
  } finally {
    warn.mockRestore();
  }
}

const nonJson = { 'content-type': 'text/plain', 'content-length': '3' };

/** For each documented code, the real code path that raises it, and the method it was raised for. */
const RAISERS: Record<ProblemCode, { method: HttpMethod; raise: () => Promise<HttpProblem> | HttpProblem }> = {
  VALIDATION_FAILED: { method: 'post', raise: () => raised(() => parseCreateAccountRequest({})) },
  MALFORMED_JSON: { method: 'post', raise: () => filter.toProblem(new BadRequestException('x', { cause: new SyntaxError('x') }), request('POST')) },
  INVALID_ACCOUNT_ID: { method: 'get', raise: () => raised(() => new AccountIdPipe().transform('nope')) },
  INVALID_IF_MATCH: { method: 'patch', raise: () => raised(() => parseIfMatch('version-2')) },
  IDEMPOTENCY_KEY_INVALID: { method: 'post', raise: () => raised(() => parseIdempotencyKey('')) },
  BAD_REQUEST: { method: 'get', raise: () => filter.toProblem(new BadRequestException(), request('GET')) },
  UNAUTHENTICATED: { method: 'get', raise: () => raised(() => apiKeyGuard().canActivate(httpContext(request('GET')))) },
  INSUFFICIENT_SCOPE: { method: 'post', raise: insufficientScope },
  ACCOUNT_NOT_FOUND: { method: 'get', raise: () => mapped(accountProblem(new AccountNotFoundError('a'))) },
  EMAIL_ALREADY_REGISTERED: { method: 'post', raise: () => mapped(accountProblem(new EmailAlreadyRegisteredError())) },
  EXTERNAL_ID_ALREADY_REGISTERED: { method: 'post', raise: () => mapped(accountProblem(new ExternalIdAlreadyRegisteredError())) },
  ILLEGAL_STATE_TRANSITION: { method: 'post', raise: () => mapped(accountProblem(new IllegalTransitionError('a', 'closed', 'suspend'))) },
  ACCOUNT_CLOSED: { method: 'patch', raise: () => mapped(accountProblem(new AccountClosedError('a'))) },
  IDEMPOTENCY_KEY_IN_PROGRESS: { method: 'post', raise: () => mapped(idempotencyProblem(new IdempotencyKeyInProgressError())) },
  VERSION_MISMATCH: { method: 'patch', raise: () => mapped(accountProblem(new StaleVersionError([1], 2))) },
  PAYLOAD_TOO_LARGE: { method: 'post', raise: () => filter.toProblem(new PayloadTooLargeException(), request('POST')) },
  UNSUPPORTED_MEDIA_TYPE: { method: 'patch', raise: () => raised(() => new JsonContentTypeGuard().canActivate(httpContext(request('PATCH', nonJson)))) },
  LOCALE_INVALID: { method: 'post', raise: () => mapped(accountProblem(new InvalidLocaleError('x'))) },
  IDEMPOTENCY_KEY_REUSED: { method: 'post', raise: () => mapped(idempotencyProblem(new IdempotencyKeyReusedError())) },
  EXTERNAL_ID_IMMUTABLE: { method: 'patch', raise: () => mapped(accountProblem(new ExternalIdImmutableError())) },
  IF_MATCH_REQUIRED: { method: 'patch', raise: () => raised(() => requireIfMatch(undefined)) },
  RATE_LIMITED: { method: 'get', raise: rateLimited },
  INTERNAL_ERROR: { method: 'get', raise: () => new InternalServerProblem() },
  OVERLOADED: { method: 'get', raise: () => overloadedProblem(1) },
  DATABASE_UNAVAILABLE: { method: 'get', raise: () => filter.toProblem(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), request('GET')) },
  EVENT_BACKLOG: { method: 'post', raise: () => raised(() => backPressureGuard(0, 10).canActivate(httpContext(request('POST')))) },
  NOT_READY: { method: 'get', raise: notReady },
};

describe('the problem catalog of the OpenAPI document', () => {
  it.each(Object.keys(PROBLEMS) as ProblemCode[])('documents %s with the status and headers the service sends', async (code) => {
    const { method, raise } = RAISERS[code];
    const problem = await raise();
    expect({ code: problem.code, status: problem.status }).toEqual({ code, status: PROBLEMS[code].status });
    expect(Object.keys(problem.headers).sort()).toEqual([...headersOf(code, method)].sort());
  });

  it('names Accept-Post for a POST body of the wrong type, Accept-Patch for PATCH', async () => {
    const post = await raised(() => new JsonContentTypeGuard().canActivate(httpContext(request('POST', nonJson))));
    expect(Object.keys(post.headers)).toEqual([...headersOf('UNSUPPORTED_MEDIA_TYPE', 'post')]);
  });

  it('matches back-pressure as documented: reads are shed for the pool (OVERLOADED), never for the backlog', async () => {
    expect(backPressureGuard(0, 10).canActivate(httpContext(request('GET')))).toBe(true);
    expect((await raised(() => backPressureGuard(10, 0).canActivate(httpContext(request('GET'))))).code).toBe('OVERLOADED');
  });
});
