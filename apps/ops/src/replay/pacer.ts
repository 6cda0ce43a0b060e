/**
 * Holds publishing to a rate against a fixed timeline: record i may go at start + i / rate. A late
 * publish (a slow commit) is caught up rather than pushing every later one back, so the average
 * over a run stays on the rate instead of drifting below it.
 */
export class Pacer {
  private started?: number;
  private admitted = 0;

  constructor(
    private readonly perSecond: number | undefined,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = sleepUnlessAborted(),
  ) {}

  /**
   * How many records to publish per paced step: about 100 ms worth, at least one, at most an
   * unthrottled transaction. A throttled step is its own transaction, and a commit costs 10–25 ms on
   * a busy broker: at one record per step, a commit per record could not keep up with 50/s.
   */
  stepSize(unthrottled: number): number {
    return this.perSecond === undefined ? unthrottled : Math.min(unthrottled, Math.max(1, Math.floor(this.perSecond / 10)));
  }

  get throttled(): boolean {
    return this.perSecond !== undefined;
  }

  /** Resolves when the next `count` records may be published. */
  async admit(count: number): Promise<void> {
    if (this.perSecond === undefined) return;
    this.started ??= this.now();
    const due = this.started + (this.admitted * 1000) / this.perSecond;
    this.admitted += count;
    const wait = due - this.now();
    if (wait > 0) await this.sleep(wait);
  }
}

/** `--rate 50`, `--rate 50/s` */
export function parseRate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(raw.trim());
  const rate = match ? Number(match[1]) : NaN;
  return Number.isFinite(rate) && rate > 0 ? rate : Number.NaN;
}

/** A sleep that an abort cuts short, so a slow rate never keeps an interrupted replay waiting. */
export function sleepUnlessAborted(signal?: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
}
