/** The part of a node-postgres Pool this needs, so the lib does not depend on pg. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A pooled connection that the server drops while idle (a PostgreSQL restart or failover) is
 * reported as an 'error' event on the pool; with no listener Node turns it into a crash of the
 * whole process. The pool has already discarded that connection and opens a new one for the next
 * query, so a warning is all it deserves. Found by the chaos run, which restarts PostgreSQL.
 */
export function logIdleConnectionErrors(pool: ErrorEmitter, poolName: string, warn: (message: string) => void): void {
  pool.on('error', (error) => warn(`${poolName}: an idle database connection was lost (${error.message}); the pool will reconnect`));
}
