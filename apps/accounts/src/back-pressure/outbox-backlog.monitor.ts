import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { readBacklog } from '@platform/outbox';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';
import { ACCOUNTS_SCHEMA } from '../database/schema';

/**
 * Samples the outbox backlog in the background so that admitting a request costs no query.
 * A sample that fails keeps the last known value: a database outage is readiness's business,
 * and refusing every write because one count failed would turn a blip into an outage.
 */
@Injectable()
export class OutboxBacklogMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxBacklog');
  private timer?: NodeJS.Timeout;
  private sampling = false;
  private events = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  /** Unpublished events at the last sample. */
  get backlog(): number {
    return this.events;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => void this.sample(), this.config.backPressure.sampleIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    // A slow count must not pile up behind itself and eat the pool it is meant to protect.
    if (this.sampling) return;
    this.sampling = true;
    try {
      const backlog = await readBacklog({ query: async (sql: string) => ({ rows: await this.dataSource.query(sql) }) }, ACCOUNTS_SCHEMA);
      this.events = backlog.events;
    } catch (error) {
      this.logger.warn(`could not sample the outbox backlog: ${(error as Error).message}`);
    } finally {
      this.sampling = false;
    }
  }
}
