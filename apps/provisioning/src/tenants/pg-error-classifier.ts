import { PermanentError, PlatformError, RetriableError } from '@platform/contracts';

export const TenantDbErrorCode = {
  /** The server is unreachable, restarting, out of connections or resources: try again later. */
  Unavailable: 'TENANT_DB_UNAVAILABLE',
  /** Lost a race: serialization failure, deadlock, lock timeout. The same work succeeds on a retry. */
  Contention: 'TENANT_DB_CONTENTION',
  /** The server refused the statement itself (privileges, constraints, bad data): a retry gets the same answer. */
  Rejected: 'TENANT_DB_REJECTED',
} as const;

/**
 * SQLSTATEs that describe the moment rather than the statement. Whole classes: 08 connection
 * exception, 53 insufficient resources, 58 system error. Single codes: 40001 serialization
 * failure, 40P01 deadlock, 55P03 lock not available, 57014 query cancelled (statement timeout),
 * 57P01-57P03 server shutting down or starting, 3D000 database missing (dropped under us; an
 * operator recreates it; the start-up check refuses to run without it).
 */
const UNAVAILABLE_CLASSES = ['08', '53', '58'];
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '3D000']);
const CONTENTION_CODES = new Set(['40001', '40P01', '55P03', '57014']);
/**
 * XX000 is "internal error", normally a verdict; but catalog updates that race (two GRANT/REVOKE
 * on the same schema at once, as concurrent provisionings do) raise it as "tuple concurrently
 * updated", and the same statement succeeds when retried. Found by the chaos run.
 */
const CONCURRENT_CATALOG_UPDATE = /tuple concurrently (updated|deleted)/i;

/**
 * A SQLSTATE: five characters whose class is one PostgreSQL uses (00-58, F0, HV, P0, XX). The class
 * list matters: node's EPIPE or EBUSY are five capitals too, and must not read as the server's verdict.
 */
const SQLSTATE = /^(?:[0-5][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/;

/**
 * Decides whether a failed tenant-database operation is worth retrying. A SQLSTATE not listed above
 * is the server's verdict on the statement. Anything without a SQLSTATE came from the driver or the
 * socket (ECONNREFUSED, the pool's "timeout exceeded when trying to connect", "Connection
 * terminated"): not the database's verdict, so not a reason to give up.
 */
export function classifyPgError(error: unknown, doing: string): PlatformError {
  if (error instanceof PlatformError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code && SQLSTATE.test(code)) {
    if (CONTENTION_CODES.has(code) || (code === 'XX000' && CONCURRENT_CATALOG_UPDATE.test(message))) return new RetriableError(`${doing}: ${message} (SQLSTATE ${code})`, TenantDbErrorCode.Contention, error);
    if (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) {
      return new RetriableError(`${doing}: ${message} (SQLSTATE ${code})`, TenantDbErrorCode.Unavailable, error);
    }
    return new PermanentError(`${doing}: ${message} (SQLSTATE ${code})`, TenantDbErrorCode.Rejected, error);
  }
  return new RetriableError(`${doing}: ${message}${code ? ` (${code})` : ''}`, TenantDbErrorCode.Unavailable, error);
}
