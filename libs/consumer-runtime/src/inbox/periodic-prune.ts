import type { PlatformLogger } from '@platform/observability';

/** One pass of a prune: deletes what is due and says how many rows went. */
export type PruneOnce = () => Promise<number>;

/**
 * Keeps a table bounded: prunes once at start, then every interval (with up to a tenth of it as
 * jitter, so replicas started together do not prune together). A failed pass is logged and tried
 * again next time: the table only grows a little meanwhile, which is not worth stopping a consumer
 * for. The timer never keeps the process alive.
 */
export class PeriodicPrune {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    /** What is pruned, for the log lines ("inbox of welcome-email", "account status guard"). */
    private readonly what: string,
    private readonly prune: PruneOnce,
    private readonly intervalMs: number,
    private readonly logger: Pick<PlatformLogger, 'info' | 'warn'>,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    this.running = this.pass();
  }

  /** Stops the schedule and waits for a pass in progress, so a pool can be closed after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async pass(): Promise<void> {
    try {
      const removed = await this.prune();
      if (removed > 0) this.logger.info(`${this.what}: pruned ${removed} row(s)`, { removed });
    } catch (error) {
      this.logger.warn(`${this.what}: pruning failed, next try in ${Math.round(this.intervalMs / 1000)} s`, { error: (error as Error).message });
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass();
    }, this.intervalMs + Math.floor(this.random() * this.intervalMs * 0.1));
    this.timer.unref();
  }
}
