import { ArgumentsHost, BadRequestException, HttpException, LoggerService, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { ConflictProblem, PROBLEM_JSON, RequestValidationProblem } from './http-problems';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RouteCatalog } from './route-catalog';

/** Records what the filter does to an Express response: status, headers, body. */
class RecordedResponse {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  readonly headers: Record<string, string> = {};
  body?: string;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  send(body: string): this {
    this.body = body;
    this.headersSent = true;
    return this;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get json(): Record<string, unknown> {
    return JSON.parse(this.body ?? 'null');
  }
}

class RecordingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  error(message: string, stack?: string): void {
    this.errors.push(`${message}\n${stack ?? ''}`);
  }
}

function hostFor(request: { method: string; originalUrl: string }, response: RecordedResponse, type = 'http'): ArgumentsHost {
  return {
    getType: () => type,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response, getNext: () => undefined }),
  } as unknown as ArgumentsHost;
}

describe('ProblemDetailsFilter', () => {
  const routes = new RouteCatalog(() => [
    { path: '/v1/accounts', methods: ['get', 'post'] },
    { path: '/v1/accounts/:id', methods: ['get', 'patch', 'delete'] },
  ]);
  let logger: RecordingLogger;
  let filter: ProblemDetailsFilter;
  beforeEach(() => {
    logger = new RecordingLogger();
    filter = new ProblemDetailsFilter({ bodyLimitBytes: 4096, routes, logger });
  });

  const render = (exception: unknown, method = 'GET', url = '/v1/accounts') => {
    const response = new RecordedResponse();
    filter.catch(exception, hostFor({ method, originalUrl: url }, response));
    return response;
  };

  it('renders a typed problem as RFC 9457 with its code, extensions and headers', () => {
    const res = render(new RequestValidationProblem([{ pointer: '/email', detail: 'is required' }]), 'POST');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM_JSON);
    expect(res.json).toEqual({
      type: 'urn:platform:problem:validation-failed',
      title: 'Invalid request',
      status: 400,
      detail: 'The request body is invalid; see errors for each offending field.',
      instance: '/v1/accounts',
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/email', detail: 'is required' }],
    });
  });

  it('defaults the title to the status text', () => {
    const res = render(new ConflictProblem({ code: 'SOMETHING', detail: 'd' }));
    expect(res.json).toMatchObject({ title: STATUS_CODES[409], status: 409, code: 'SOMETHING' });
  });

  it('uses the path without the query as instance', () => {
    const res = render(new ConflictProblem({ code: 'X', detail: 'd' }), 'GET', '/v1/accounts?email=ada@example.com');
    expect(res.json.instance).toBe('/v1/accounts');
  });

  it('turns a router miss on a known path into 405 with Allow', () => {
    const res = render(new NotFoundException('Cannot PUT /v1/accounts'), 'PUT', '/v1/accounts');
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.json).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
  });

  it('matches parameterised paths for 405 and keeps 404 for unknown ones', () => {
    expect(render(new NotFoundException(), 'POST', '/v1/accounts/abc').headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    const res = render(new NotFoundException(), 'GET', '/v1/accounts/abc/zzz');
    expect(res.statusCode).toBe(404);
    expect(res.json).toMatchObject({ code: 'ROUTE_NOT_FOUND', detail: 'No resource is served at /v1/accounts/abc/zzz.' });
  });

  it('translates body-parser failures: malformed JSON 400, too large 413, undecodable 415', () => {
    const syntax = new BadRequestException('Unexpected token } in JSON at position 7', { cause: new SyntaxError('Unexpected token') });
    const malformed = render(syntax, 'POST');
    expect(malformed.json).toMatchObject({ status: 400, code: 'MALFORMED_JSON', detail: 'The request body is not valid JSON.' });
    expect(malformed.body).not.toContain('position');

    const large = render(new PayloadTooLargeException('request entity too large'), 'POST');
    expect(large.json).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body exceeds the limit of 4096 bytes.' });

    expect(render(new HttpException('unsupported charset "EBCDIC"', 415), 'POST').json).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('keeps other 4xx framework errors at their status with a derived code', () => {
    expect(render(new HttpException('nope', 403)).json).toMatchObject({ status: 403, code: 'FORBIDDEN', title: 'Forbidden' });
  });

  it('answers anything unexpected with a generic 500 and logs the cause with its stack', () => {
    const secret = new Error('duplicate key value violates unique constraint "accounts_pkey" at /srv/app/dist/x.js:10');
    const res = render(secret);
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({
      type: 'urn:platform:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.any(String),
      instance: '/v1/accounts',
      code: 'INTERNAL_ERROR',
    });
    expect(res.body).not.toMatch(/duplicate|constraint|accounts_pkey|\.js|stack/);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toContain('accounts_pkey');
    expect(logger.errors[0]).toContain(secret.stack?.split('\n')[1]?.trim() ?? '');
  });

  it('renders the app\'s own errors through its domain translators, tried in order, and the rest as 500s', () => {
    class Taken extends Error {}
    class Gone extends Error {}
    const seen: string[] = [];
    filter = new ProblemDetailsFilter({
      bodyLimitBytes: 4096,
      routes,
      logger,
      domainProblems: [
        (error) => (seen.push('first'), error instanceof Taken ? new ConflictProblem({ code: 'TAKEN', detail: 'taken' }) : undefined),
        (error) => (seen.push('second'), error instanceof Gone ? new ConflictProblem({ code: 'GONE', detail: 'gone' }) : undefined),
      ],
    });
    expect(render(new Taken()).json).toMatchObject({ status: 409, code: 'TAKEN' });
    expect(seen).toEqual(['first']);
    expect(render(new Gone()).json).toMatchObject({ status: 409, code: 'GONE' });
    expect(render(new Error('other')).statusCode).toBe(500);
    expect(logger.errors).toHaveLength(1);
  });

  it('treats 5xx HttpExceptions and thrown non-errors as internal errors', () => {
    expect(render(new HttpException('db password is hunter2', 503)).json).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(render('a string').json).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(logger.errors)).toContain('hunter2');
  });

  it('cuts the connection when the response has already started', () => {
    const response = new RecordedResponse();
    response.headersSent = true;
    filter.catch(new Error('late'), hostFor({ method: 'GET', originalUrl: '/v1/accounts' }, response));
    expect(response.destroyed).toBe(true);
    expect(response.body).toBeUndefined();
  });

  it('leaves non-HTTP contexts alone', () => {
    const error = new Error('from kafka');
    expect(() => filter.catch(error, hostFor({ method: 'GET', originalUrl: '/' }, new RecordedResponse(), 'rpc'))).toThrow(error);
  });
});
