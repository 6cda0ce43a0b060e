import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import {
  BadRequestProblem,
  codeForStatus,
  HttpProblem,
  InternalServerProblem,
  MethodNotAllowedProblem,
  NotFoundProblem,
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem,
} from './http-problems';
import { RouteCatalog } from './route-catalog';
import { databaseUnavailableProblem, isDatabaseUnavailable, isPoolAcquireTimeout, overloadedProblem } from '../back-pressure/overloaded.problem';

export interface ProblemDetailsOptions {
  readonly bodyLimitBytes: number;
  /** Tells a wrong method (405) from an unknown path (404); without it every miss is a 404. */
  readonly routes?: RouteCatalog;
  readonly logger?: LoggerService;
  /** Retry-After of the 503 given when a request waited too long for a database connection. */
  readonly overloadRetryAfterSeconds?: number;
  /**
   * How the app's own errors read as problems (account rules, idempotency), tried in order before
   * anything else. Here rather than in interceptors: an interceptor wraps every request in an
   * Observable pipeline to catch the few that fail, a filter costs nothing until one does.
   */
  readonly domainProblems?: readonly ((error: unknown) => HttpProblem | undefined)[];
}

/**
 * Every error leaving the HTTP API, whoever raised it (a handler, a pipe, the body parser,
 * Nest's router), becomes application/problem+json with a stable `code`. Typed problems are
 * rendered as they are; framework exceptions are translated; anything else is a 500 whose body
 * says nothing about the cause. The cause is logged instead, because a stack trace or a driver
 * message in a response tells an attacker about the schema and tells the client nothing useful.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger: LoggerService;

  constructor(private readonly options: ProblemDetailsOptions) {
    this.logger = options.logger ?? new Logger('ProblemDetails');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request);

    if (response.headersSent) {
      // Too late for a problem document: cut the connection so the client sees a failure, not a truncated success.
      response.destroy();
      return;
    }
    const document = problem.toDocument(instanceOf(request));
    response.status(problem.status);
    for (const [name, value] of Object.entries(problem.responseHeaders())) response.setHeader(name, value);
    response.send(JSON.stringify(document));
  }

  toProblem(exception: unknown, request: Pick<Request, 'method' | 'originalUrl' | 'url'>): HttpProblem {
    // Typed problems are decisions, not accidents: whoever raised one has logged what matters.
    if (exception instanceof HttpProblem) return exception;
    for (const translate of this.options.domainProblems ?? []) {
      const problem = translate(exception);
      if (problem) return problem;
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    if (isPoolAcquireTimeout(exception)) {
      this.logger.warn(`${request.method} ${pathOf(request)}: no database connection within the pool timeout; answered 503`);
      return overloadedProblem(this.options.overloadRetryAfterSeconds ?? 1);
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`${request.method} ${pathOf(request)}: the database is unavailable (${String((exception as { message?: unknown }).message)}); answered 503`);
      return databaseUnavailableProblem(this.options.overloadRetryAfterSeconds ?? 1);
    }
    this.logFailure(exception, request);
    return new InternalServerProblem();
  }

  /** Exceptions raised by Nest or mapped by it from Express and body-parser errors. */
  private fromHttpException(exception: HttpException, request: Pick<Request, 'method' | 'originalUrl' | 'url'>): HttpProblem {
    const status = exception.getStatus();
    const cause = exception.cause as { type?: string } | undefined;
    switch (status) {
      case 400:
        if (cause instanceof SyntaxError) {
          return new BadRequestProblem({ code: 'MALFORMED_JSON', title: 'Malformed JSON', detail: 'The request body is not valid JSON.' });
        }
        return new BadRequestProblem({ code: 'BAD_REQUEST', detail: 'The request could not be understood.' });
      case 404: {
        // Handlers raise typed problems; a bare NotFoundException only comes from the router's fallback.
        const path = pathOf(request);
        const allowed = this.options.routes?.allowedMethods(path) ?? [];
        if (allowed.length > 0) {
          return new MethodNotAllowedProblem({
            code: 'METHOD_NOT_ALLOWED',
            detail: `${request.method} is not supported on ${path}; allowed: ${allowed.join(', ')}.`,
            headers: { Allow: allowed.join(', ') },
          });
        }
        return new NotFoundProblem({ code: 'ROUTE_NOT_FOUND', detail: `No resource is served at ${path}.` });
      }
      case 413:
        return new PayloadTooLargeProblem({
          code: 'PAYLOAD_TOO_LARGE',
          detail: `The request body exceeds the limit of ${this.options.bodyLimitBytes} bytes.`,
        });
      case 415:
        // body-parser's refusals: a charset or content-encoding it cannot decode.
        return new UnsupportedMediaTypeProblem({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          detail: 'The request body must be UTF-8 encoded JSON.',
        });
      default:
        if (status >= 500) {
          this.logFailure(exception, request);
          return new InternalServerProblem();
        }
        return new GenericProblem(status, {
          code: codeForStatus(status),
          detail: STATUS_CODES[status] ?? 'The request failed.',
        });
    }
  }

  private logFailure(exception: unknown, request: Pick<Request, 'method' | 'originalUrl' | 'url'>): void {
    const where = `${request.method} ${pathOf(request)}`;
    if (exception instanceof Error) this.logger.error(`${where} failed: ${exception.message}`, exception.stack);
    else this.logger.error(`${where} failed with a non-error value: ${String(exception)}`);
  }
}

/** Any other 4xx a framework component may raise (e.g. 403 from CSRF protection), kept at its own status. */
class GenericProblem extends HttpProblem {
  constructor(
    readonly status: number,
    init: { code: string; detail: string },
  ) {
    super(init);
  }
}

function pathOf(request: Pick<Request, 'originalUrl' | 'url'>): string {
  return (request.originalUrl ?? request.url ?? '/').split(/[?#]/, 1)[0] || '/';
}

/** The request path identifies the occurrence; the query is left out because it may carry personal data. */
export function instanceOf(request: Pick<Request, 'originalUrl' | 'url'>): string {
  return pathOf(request);
}
