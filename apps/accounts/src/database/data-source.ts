import { DataSource } from 'typeorm';
import { DatabaseConfig } from '@platform/config';
import { AccountEntity } from '../accounts/account.entity';
import { ACCOUNTS_MIGRATIONS } from '../migrations';
import { ACCOUNTS_SCHEMA } from './schema';

/**
 * One definition of the connection for the app and for `migrate`, so both agree on the schema
 * and the migrations table. `synchronize` stays off: the schema changes only through reviewed
 * migrations, never because an entity class was edited.
 */
export function createAccountsDataSource(config: DatabaseConfig): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.url,
    // The migrations table lives beside the tables it describes.
    schema: ACCOUNTS_SCHEMA,
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
    extra: {
      application_name: 'accounts',
      // A hung connect must fail readiness, not hang it.
      connectionTimeoutMillis: 5_000,
    },
  });
}
