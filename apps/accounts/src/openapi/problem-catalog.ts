import { DEFAULT_BODY_LIMIT_BYTES } from '../config';
import type { HttpMethod } from './openapi-types';
import type { ResponseHeaderName } from './openapi-headers';

export interface ProblemSpec {
  readonly status: number;
  /** For the response description: when a client gets this code. */
  readonly when: string;
  readonly headers?: readonly ResponseHeaderName[] | ((method: HttpMethod) => readonly ResponseHeaderName[]);
}

/**
 * Every problem `code` the API documents, with its status. The codes themselves are raised all
 * over the service; problem-catalog.spec.ts checks each one against the code that raises it,
 * and the drift test checks real problem responses against the codes documented for them.
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, when: 'the body or query does not match its schema; `errors` names each offending field by JSON Pointer' },
  MALFORMED_JSON: { status: 400, when: 'the body is not valid JSON' },
  INVALID_ACCOUNT_ID: { status: 400, when: '`{id}` is not a UUID' },
  INVALID_IF_MATCH: { status: 400, when: '`If-Match` is neither `*` nor a list of entity tags' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, when: '`Idempotency-Key` is not 1–255 printable ASCII characters' },
  BAD_REQUEST: { status: 400, when: 'the request cannot be read, e.g. a bad percent-encoding in the path' },
  UNAUTHENTICATED: { status: 401, when: 'no API key, or one that is malformed, unknown or revoked', headers: ['WWW-Authenticate'] },
  INSUFFICIENT_SCOPE: { status: 403, when: 'the API key lacks the scope this operation needs', headers: ['WWW-Authenticate'] },
  ACCOUNT_NOT_FOUND: { status: 404, when: 'no account has this id' },
  EMAIL_ALREADY_REGISTERED: { status: 409, when: 'an account with this email exists, in any letter case' },
  EXTERNAL_ID_ALREADY_REGISTERED: { status: 409, when: 'another account has this external id' },
  ILLEGAL_STATE_TRANSITION: { status: 409, when: 'the lifecycle does not allow the move from the current state' },
  ACCOUNT_CLOSED: { status: 409, when: 'the account is closed and can no longer change' },
  IDEMPOTENCY_KEY_IN_PROGRESS: { status: 409, when: 'the first request with this `Idempotency-Key` is still running', headers: ['Retry-After'] },
  VERSION_MISMATCH: { status: 412, when: '`If-Match` names an old version; the detail gives the current ETag' },
  PAYLOAD_TOO_LARGE: { status: 413, when: `the body is larger than the configured limit (BODY_LIMIT, ${DEFAULT_BODY_LIMIT_BYTES} bytes by default)` },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    when: 'the body is not JSON, or is in a charset other than UTF-8',
    headers: (method) => (method === 'patch' ? ['Accept-Patch'] : ['Accept-Post']),
  },
  LOCALE_INVALID: { status: 422, when: '`locale` is not a well-formed BCP 47 tag' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, when: 'this `Idempotency-Key` was used with a different body' },
  EXTERNAL_ID_IMMUTABLE: { status: 422, when: 'the external id is already set and the patch changes it' },
  IF_MATCH_REQUIRED: { status: 428, when: '`If-Match` is missing' },
  RATE_LIMITED: { status: 429, when: 'the API key is over its rate limit', headers: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining'] },
  INTERNAL_ERROR: { status: 500, when: 'anything unexpected; the body never says what failed inside' },
  OVERLOADED: { status: 503, when: 'every database connection is busy and the queue for them is full', headers: ['Retry-After'] },
  DATABASE_UNAVAILABLE: { status: 503, when: 'the database is restarting or unreachable', headers: ['Retry-After'] },
  EVENT_BACKLOG: { status: 503, when: 'too many events wait to be published; only changes are refused, reads go on', headers: ['Retry-After'] },
  NOT_READY: { status: 503, when: 'the database is not reachable' },
} satisfies Record<string, ProblemSpec>;

export type ProblemCode = keyof typeof PROBLEMS;

export function headersOf(code: ProblemCode, method: HttpMethod): readonly ResponseHeaderName[] {
  const spec: ProblemSpec = PROBLEMS[code];
  if (spec.headers === undefined) return [];
  return typeof spec.headers === 'function' ? spec.headers(method) : spec.headers;
}
