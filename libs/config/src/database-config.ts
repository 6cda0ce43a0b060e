import { EnvReader } from './env-reader';

export interface DatabaseConfig {
  readonly url: string;
  readonly poolSize: number;
}

/** DATABASE_URL when given, else the machine's own PostgreSQL with the service's database. */
export function readDatabaseConfig(reader: EnvReader, defaultDatabase: string): DatabaseConfig {
  return {
    url: reader.postgresUrl('DATABASE_URL', `postgres://postgres@127.0.0.1:5432/${defaultDatabase}`),
    poolSize: reader.int('DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
  };
}
