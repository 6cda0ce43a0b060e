import 'reflect-metadata';
import { ConfigError } from '@platform/config';
import { loadAccountsConfig } from './config';
import { createAccountsDataSource } from './database/data-source';
import { runAccountsMigrations } from './database/migrations-runner';

/** `nx run accounts:migrate`: brings the database to the code's schema, then exits. */
async function migrate(): Promise<void> {
  const config = loadAccountsConfig();
  const dataSource = createAccountsDataSource(config.database);
  await dataSource.initialize();
  try {
    const applied = await runAccountsMigrations(dataSource);
    console.log(applied.length === 0 ? 'accounts: schema is up to date' : `accounts: applied ${applied.join(', ')}`);
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  // A ConfigError already lists every problem; anything else is printed whole for the operator.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
