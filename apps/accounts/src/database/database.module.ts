import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsDatabaseConfig } from '../config';
import { createAccountsDataSource } from './data-source';
import { hasPendingMigrations } from './migrations-runner';

export class PendingMigrationsError extends Error {
  constructor() {
    super('the accounts database schema is behind the code: run `npx nx run accounts:migrate` before starting the service');
    this.name = 'PendingMigrationsError';
  }
}

/**
 * Provides the DataSource, connected and verified before the app starts serving: an
 * unreachable database (a configured replica included) or a missing migration stops start-up
 * with a clear error instead of failing every request later.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  static forRoot(config: AccountsDatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          useFactory: async (): Promise<DataSource> => {
            const dataSource = createAccountsDataSource(config, config.replicaUrls);
            await dataSource.initialize();
            try {
              if (await hasPendingMigrations(dataSource)) throw new PendingMigrationsError();
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        },
      ],
      exports: [DataSource],
    };
  }

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Runs after Nest has closed the HTTP server and the Kafka consumer, so in-flight requests
   * and event handlers finish with the pool still open.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
