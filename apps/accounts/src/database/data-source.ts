import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseConfig, pgTimeoutOptions } from '@platform/config';
import { AccountEntity } from '../accounts/account.entity';
import { ACCOUNTS_MIGRATIONS } from '../migrations';
import { ACCOUNTS_SCHEMA } from './schema';

/** Seen in pg_stat_activity, so an operator can tell the service's primary and replica connections apart. */
export const PRIMARY_APPLICATION_NAME = 'accounts';
export const REPLICA_APPLICATION_NAME = 'accounts-replica-read';

/**
 * One definition of the connection for the app and for `migrate`, so both agree on the schema
 * and the migrations table. `synchronize` stays off: the schema changes only through reviewed
 * migrations, never because an entity class was edited.
 *
 * Replicas are used only when passed explicitly: `migrate` and the test helpers pass none, so
 * they cannot end up on a read-only server.
 */
export function createAccountsDataSource(config: DatabaseConfig, replicaUrls: readonly string[] = []): DataSource {
  return new DataSource({
    type: 'postgres',
    ...connectionOptions(config, replicaUrls),
    // The migrations table lives beside the tables it describes.
    schema: ACCOUNTS_SCHEMA,
    // Per pool: each replica gets as many connections as the primary.
    poolSize: config.poolSize,
    entities: [AccountEntity],
    migrations: ACCOUNTS_MIGRATIONS,
    migrationsTableName: 'migrations',
    // One transaction per migration: a failed one leaves the previous ones applied and itself not at all.
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Not 'error': failed queries are handled by the caller (a duplicate email is a 409), and
    // TypeORM would print their parameters, which hold personal data.
    logging: ['migration'],
    // A hung connect must fail readiness, not hang it; a stuck statement must fail, not hold a
    // connection (and the request waiting on it) for ever.
    extra: pgTimeoutOptions(config),
  });
}

type ConnectionOptions = Pick<Extract<DataSourceOptions, { type: 'postgres' }>, 'url' | 'applicationName' | 'replication'>;

function connectionOptions(config: DatabaseConfig, replicaUrls: readonly string[]): ConnectionOptions {
  if (replicaUrls.length === 0) return { url: config.url, applicationName: PRIMARY_APPLICATION_NAME };
  return {
    replication: {
      master: { url: config.url, applicationName: PRIMARY_APPLICATION_NAME },
      slaves: replicaUrls.map((url) => ({ url, applicationName: REPLICA_APPLICATION_NAME })),
      // TypeORM's default sends every read outside a transaction to a replica, including
      // GET-by-id and whatever code is written next. Here a read goes to a replica only when
      // its code says it tolerates lag (see stale-reads.ts); everything else stays on the primary.
      defaultMode: 'master',
    },
  };
}
