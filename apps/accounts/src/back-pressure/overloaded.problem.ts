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

/** The database restarting or out of reach: the request can succeed again in a moment. */
export function databaseUnavailableProblem(retryAfterSeconds: number): ServiceUnavailableProblem {
  return new ServiceUnavailableProblem({
    code: 'DATABASE_UNAVAILABLE',
    title: 'Database unavailable',
    detail: 'The database is restarting or unreachable; retry after the indicated delay.',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/** SQLSTATEs of a server going away or not there yet: 57P01-57P03 (shutdown, crash, starting) and class 08 (connection). */
const UNAVAILABLE_SQLSTATE = /^(57P0[123]|08...)$/;
/** node-postgres says so in words when the socket dies under a query; no code is attached. */
const CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|connect ECONNREFUSED)/;

/**
 * A query failed because the database was not there, not because of the query: the chaos run's
 * PostgreSQL restart answered these as 500 "internal error", which tells a client to give up.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed: socket errors are made by Node's own realm, which `instanceof Error` can miss.
  if (typeof error !== 'object' || error === null) return false;
  const failure = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } };
  const code = failure.code ?? failure.driverError?.code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || code === 'ECONNREFUSED')) return true;
  const message = failure.driverError?.message ?? failure.message;
  return typeof message === 'string' && CONNECTION_LOST.test(message);
}
