import { STATUS_CODES } from 'node:http';

/**
 * Typed HTTP errors, each rendered as an RFC 9457 problem document. Every one carries a stable
 * `code` (clients and dashboards key on it; titles and details are for humans and may change)
 * and a `type` URI derived from it, so the two can never disagree.
 */
export const PROBLEM_JSON = 'application/problem+json';

/** One offending part of the request, as a JSON Pointer (RFC 6901) into the body: `/email`. */
export interface FieldError {
  readonly pointer: string;
  readonly detail: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
}

export interface ProblemInit {
  readonly code: string;
  readonly detail: string;
  /** Defaults to the status text; set it when the code deserves its own short summary. */
  readonly title?: string;
  readonly errors?: readonly FieldError[];
  /** Response headers the status calls for: Allow on 405, Accept-Patch on 415. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A URN rather than a made-up URL: it identifies the problem type without pretending to resolve. */
export function problemTypeUri(code: string): string {
  return `urn:platform:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/** The code of a bare status with nothing more specific to say: 431 → REQUEST_HEADER_FIELDS_TOO_LARGE. */
export function codeForStatus(status: number): string {
  return (STATUS_CODES[status] ?? `HTTP_${status}`).toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export abstract class HttpProblem extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly headers: Readonly<Record<string, string>>;
  private readonly explicitTitle?: string;

  constructor(init: ProblemInit) {
    super(init.detail);
    this.name = new.target.name;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.explicitTitle = init.title;
  }

  get title(): string {
    return this.explicitTitle ?? STATUS_CODES[this.status] ?? 'Error';
  }

  /** Every problem response carries these: the problem's own headers, its media type, and no caching. */
  responseHeaders(): Record<string, string> {
    return { ...this.headers, 'Content-Type': PROBLEM_JSON, 'Cache-Control': 'no-store' };
  }

  toDocument(instance: string): ProblemDocument {
    return {
      type: problemTypeUri(this.code),
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      code: this.code,
      ...(this.errors && this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

export class BadRequestProblem extends HttpProblem {
  readonly status = 400;
}

/** The body is well-formed and matches the schema, but a value cannot be acted on. */
export class UnprocessableContentProblem extends HttpProblem {
  readonly status = 422;
}

export class NotFoundProblem extends HttpProblem {
  readonly status = 404;
}

export class MethodNotAllowedProblem extends HttpProblem {
  readonly status = 405;
}

export class ConflictProblem extends HttpProblem {
  readonly status = 409;
}

export class PreconditionFailedProblem extends HttpProblem {
  readonly status = 412;
}

export class PayloadTooLargeProblem extends HttpProblem {
  readonly status = 413;
}

export class UnsupportedMediaTypeProblem extends HttpProblem {
  readonly status = 415;
}

export class PreconditionRequiredProblem extends HttpProblem {
  readonly status = 428;
}

/** Deliberately fixed wording: a 500 never reveals what failed inside. */
export class InternalServerProblem extends HttpProblem {
  readonly status = 500;
  constructor() {
    super({ code: 'INTERNAL_ERROR', detail: 'The server could not complete the request. It has been logged; retrying later may succeed.' });
  }
}

/** Bad input that names each offending field. */
export class RequestValidationProblem extends BadRequestProblem {
  constructor(errors: readonly FieldError[], detail = 'The request body is invalid; see errors for each offending field.') {
    super({ code: 'VALIDATION_FAILED', title: 'Invalid request', detail, errors });
  }
}

/** No credentials, or ones that match no active key. Carries the challenge RFC 9110 §11.6.1 requires. */
export class UnauthorizedProblem extends HttpProblem {
  readonly status = 401;
}

/** The caller is known but its key lacks the scope this operation needs. */
export class ForbiddenProblem extends HttpProblem {
  readonly status = 403;
}

/** The caller's own request rate is over its quota; Retry-After says when to come back. */
export class TooManyRequestsProblem extends HttpProblem {
  readonly status = 429;
}

/** The service is shedding load to protect the database; Retry-After says when to come back. */
export class ServiceUnavailableProblem extends HttpProblem {
  readonly status = 503;
}
