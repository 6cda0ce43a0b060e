export interface SlidingWindowOptions {
  /** Window length: only signups within this many ms before the current one count. */
  readonly windowMs: number;
  /** Most keys held; the least recently used key is evicted beyond it. */
  readonly maxKeys: number;
  /** Most entries kept per key; the oldest go first. Enough to tell "more than the limit". */
  readonly maxEntriesPerKey: number;
}

interface Entry {
  readonly member: string;
  readonly at: number;
}

/**
 * Counts distinct members (account ids) per key (an IP range, an email domain) within a sliding
 * window, in bounded memory: at most maxKeys × maxEntriesPerKey entries, whatever the traffic.
 *
 * The state lives in this process only. With several replicas each one sees the signups of the
 * partitions it owns, so a burst spread over partitions is counted per replica; the plan for a
 * shared window is in docs/consumers.md. Counting members, not calls, means a retried record does
 * not count its own signup twice.
 */
export class SlidingWindowCounter {
  // A Map iterates in insertion order; re-inserting a key on each use makes the first key the
  // least recently used, which is the whole LRU.
  private readonly keys = new Map<string, Entry[]>();

  constructor(private readonly options: SlidingWindowOptions) {
    if (options.windowMs <= 0 || options.maxKeys < 1 || options.maxEntriesPerKey < 1) {
      throw new RangeError(`invalid sliding window options ${JSON.stringify(options)}`);
    }
  }

  /** Records one signup and returns how many distinct members the key saw in the window ending at `at`. */
  record(key: string, member: string, at: number): number {
    const { windowMs, maxKeys, maxEntriesPerKey } = this.options;
    const previous = this.keys.get(key) ?? [];
    this.keys.delete(key);
    const newest = Math.max(at, ...previous.map((e) => e.at));
    const kept = previous.filter((e) => e.at > newest - windowMs);
    if (!kept.some((e) => e.member === member)) kept.push({ member, at });
    kept.sort((a, b) => a.at - b.at);
    const bounded = kept.length > maxEntriesPerKey ? kept.slice(kept.length - maxEntriesPerKey) : kept;
    this.keys.set(key, bounded);
    while (this.keys.size > maxKeys) {
      const oldest = this.keys.keys().next().value as string;
      this.keys.delete(oldest);
    }
    return bounded.filter((e) => e.at > at - windowMs && e.at <= at).length;
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }
}
