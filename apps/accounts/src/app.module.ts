import { DynamicModule, Module } from '@nestjs/common';
import { ACCOUNTS_CONFIG, AccountsConfig } from './config';
import { AccountsModule } from './accounts/accounts.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InboxModule } from './inbox/inbox.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { BackPressureModule } from './back-pressure/back-pressure.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { DocsModule } from './openapi/docs.module';
import { OutboxModule } from './outbox/outbox.module';

/** Built from the config read in main.ts; nothing inside reads the environment. */
@Module({})
export class AppModule {
  static forRoot(config: AccountsConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config.database),
        OutboxModule,
        ApiKeysModule,
        RateLimitModule,
        BackPressureModule,
        HealthModule,
        AccountsModule,
        InboxModule,
        DocsModule,
      ],
      providers: [{ provide: ACCOUNTS_CONFIG, useValue: config }],
      exports: [ACCOUNTS_CONFIG],
    };
  }
}
