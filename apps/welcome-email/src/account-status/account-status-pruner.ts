import type { AccountStatusStore } from './account-status-store';
import type { FeedLogger } from './account-status-feed';

export interface PruneSettings {
  /** Rows older than this are deleted: no welcome can still be waiting for an account changed that long ago. */
  readonly retentionMs: number;
  readonly intervalMs: number;
}

/** Keeps the guard's table bounded: prunes once at start and then every interval. */
export class AccountStatusPruner {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly store: Pick<AccountStatusStore, 'prune'>,
    private readonly settings: PruneSettings,
    private readonly logger: FeedLogger,
  ) {}

  start(): void {
    void this.pruneOnce();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async pruneOnce(): Promise<void> {
    try {
      const removed = await this.store.prune(this.settings.retentionMs);
      if (removed > 0) this.logger.log(`account status guard: pruned ${removed} row(s) older than ${Math.round(this.settings.retentionMs / 86_400_000)} day(s)`);
    } catch (error) {
      // The table only grows a little until the next run; not worth stopping for.
      this.logger.warn(`account status guard: pruning failed: ${(error as Error).message}`);
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.pruneOnce(), this.settings.intervalMs);
    // Pruning never keeps the process alive on its own.
    this.timer.unref();
  }
}
