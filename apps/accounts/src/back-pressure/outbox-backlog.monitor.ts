import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Backlog, observeOutboxBacklog, readBacklog } from '@platform/outbox';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';
import { ACCOUNTS_SCHEMA } from '../database/schema';

/**
 * Samples the outbox backlog in the background so that admitting a request costs no query.
 * A sample that fails keeps the last known value: a database outage is readiness's business,
 * and refusing every write because one count failed would turn a blip into an outage.
 *
 * The samples are also the service's outbox gauges (the relay reports the same table): they stay
 * visible when the relay is down, which is when the outbox grows.
 */
@Injectable()
export class OutboxBacklogMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxBacklog');
  private timer?: NodeJS.Timeout;
  private sampling = false;
  private events = 0;
  private lastSample?: Backlog;
  private stopObserving?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  /** Unpublished events at the last sample. */
  get backlog(): number {
    return this.events;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Only a fresh sample is reported: a stale one would hide the outage it failed in.
    this.stopObserving = observeOutboxBacklog(ACCOUNTS_SCHEMA, () => this.lastSample);
    await this.sample();
    this.timer = setInterval(() => void this.sample(), this.config.backPressure.sampleIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.stopObserving?.();
  }

  async sample(): Promise<void> {
    // A slow count must not pile up behind itself and eat the pool it is meant to protect.
    if (this.sampling) return;
    this.sampling = true;
    try {
      const backlog = await readBacklog({ query: async (sql: string) => ({ rows: await this.dataSource.query(sql) }) }, ACCOUNTS_SCHEMA);
      this.events = backlog.events;
      this.lastSample = backlog;
    } catch (error) {
      this.lastSample = undefined;
      this.logger.warn(`could not sample the outbox backlog: ${(error as Error).message}`);
    } finally {
      this.sampling = false;
    }
  }
}
