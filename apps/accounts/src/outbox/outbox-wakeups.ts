import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pgTimeoutOptions } from '@platform/config';
import { OutboxNotifier } from '@platform/outbox';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';
import { OutboxCommitSubscriber } from './outbox-commit.subscriber';

/**
 * Owns the connection that wakes the relay. Registered as a subscriber on the DataSource so every
 * committed outbox write pokes it; `poke()` is also called directly by writes that commit
 * without an explicit transaction (a sign-up is one statement).
 */
@Injectable()
export class OutboxWakeups implements OnApplicationShutdown {
  private readonly notifier: OutboxNotifier;

  constructor(dataSource: DataSource, @Inject(ACCOUNTS_CONFIG) config: AccountsConfig) {
    const logger = new Logger('OutboxWakeups');
    this.notifier = new OutboxNotifier(config.database.url, { warn: (message) => logger.warn(message) }, pgTimeoutOptions(config.database));
    dataSource.subscribers.push(new OutboxCommitSubscriber(this.notifier));
  }

  poke(): void {
    this.notifier.poke();
  }

  /** Runs after the HTTP server and the inbox consumer stopped, so the last commits still wake the relay. */
  async onApplicationShutdown(): Promise<void> {
    await this.notifier.close();
  }
}
