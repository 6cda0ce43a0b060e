import { ServiceUnavailableProblem } from '../problem-details/http-problems';

/** One answer for "no database connection to be had", whether refused up front or after waiting. */
export function overloadedProblem(retryAfterSeconds: number): ServiceUnavailableProblem {
  return new ServiceUnavailableProblem({
    code: 'OVERLOADED',
    title: 'Service overloaded',
    detail: 'Every database connection is busy and the queue for them is full; retry after the indicated delay.',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/**
 * pg-pool gives up on a queued request after connectionTimeoutMillis with this message and no
 * error code. It means the pool was saturated for that long: a 503 the client may retry, not a
 * 500 that says the service is broken.
 */
export function isPoolAcquireTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}
