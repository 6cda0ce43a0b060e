import { EnvReader } from './env-reader';

/** How long a PostgreSQL connect and a single statement may take before they fail. */
export interface DatabaseTimeouts {
  /** A connect (or a wait for a pooled connection) longer than this fails instead of hanging. */
  readonly connectTimeoutMs: number;
  /** The server cancels a statement running longer (SQLSTATE 57014); 0 turns it off. */
  readonly statementTimeoutMs: number;
}

export interface DatabaseConfig extends DatabaseTimeouts {
  readonly url: string;
  readonly poolSize: number;
}

/** The defaults: a statement of ours takes milliseconds; 30 s is a stuck lock or a runaway plan. */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 };

/** DATABASE_URL when given, else the machine's own PostgreSQL with the service's database. */
export function readDatabaseConfig(reader: EnvReader, defaultDatabase: string): DatabaseConfig {
  return {
    url: reader.postgresUrl('DATABASE_URL', `postgres://postgres@127.0.0.1:5432/${defaultDatabase}`),
    poolSize: reader.int('DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
    ...readDatabaseTimeouts(reader, 'DATABASE'),
  };
}

/** `<prefix>_CONNECT_TIMEOUT_MS` and `<prefix>_STATEMENT_TIMEOUT_MS`, for any database a service uses. */
export function readDatabaseTimeouts(reader: EnvReader, prefix: string): DatabaseTimeouts {
  return {
    connectTimeoutMs: reader.int(`${prefix}_CONNECT_TIMEOUT_MS`, DEFAULT_DATABASE_TIMEOUTS.connectTimeoutMs, { min: 100, max: 120_000 }),
    statementTimeoutMs: reader.int(`${prefix}_STATEMENT_TIMEOUT_MS`, DEFAULT_DATABASE_TIMEOUTS.statementTimeoutMs, { min: 0, max: 3_600_000 }),
  };
}

/**
 * The timeouts as node-postgres' Pool and Client options (and TypeORM's `extra`). statement_timeout
 * is sent at connect, so the server cancels an overrunning statement and the connection stays
 * usable; a client-side query_timeout would leave it in an unknown state.
 */
export function pgTimeoutOptions(timeouts: DatabaseTimeouts): { connectionTimeoutMillis: number; statement_timeout: number } {
  return { connectionTimeoutMillis: timeouts.connectTimeoutMs, statement_timeout: timeouts.statementTimeoutMs };
}
