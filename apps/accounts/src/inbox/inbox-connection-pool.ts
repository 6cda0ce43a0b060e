import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { pgTimeoutOptions } from '@platform/config';
import { logIdleConnectionErrors } from '@platform/observability';
import { Pool } from 'pg';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';

/**
 * Connections for the consumer runtime's own idempotency transactions. Separate from the
 * TypeORM pool on purpose: the runtime holds a connection open while the handler runs, and the
 * handler takes another from TypeORM; sharing one pool could let busy partitions hold every
 * connection while their handlers wait for one. Created only when the inbox is connected.
 */
@Injectable()
export class InboxConnectionPool implements OnApplicationShutdown {
  /** One per partition processed concurrently, plus one for the runtime's bookkeeping. */
  static readonly SIZE = 4;
  private pool?: Pool;
  private readonly logger = new Logger('InboxConnectionPool');

  constructor(@Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig) {}

  get(): Pool {
    this.pool ??= new Pool({
      connectionString: this.config.database.url,
      max: InboxConnectionPool.SIZE,
      application_name: 'accounts-inbox',
      ...pgTimeoutOptions(this.config.database),
    });
    logIdleConnectionErrors(this.pool, 'inbox pool', (m) => this.logger.warn(m));
    return this.pool;
  }

  /** After Nest has stopped the consumer (see DatabaseModule for the order). */
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }
}
