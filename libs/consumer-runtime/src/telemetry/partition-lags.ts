import type { Admin } from 'kafkajs';

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset; undefined when it never committed here. */
  readonly committed?: string;
  /** The partition's end (high watermark). */
  readonly end: string;
  /** End minus committed; for a partition never committed, everything it still retains. Never negative. */
  readonly lag: number;
}

/**
 * A group's lag on every partition of `topics`, as the brokers see it. One definition for the
 * runtime's lag metric, `ops groups` and the chaos run, so the dashboard, the CLI and the chaos
 * verdict agree on what "caught up" means.
 */
export async function partitionLags(admin: Admin, groupId: string, topics: readonly string[]): Promise<PartitionLag[]> {
  if (topics.length === 0) return [];
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const lags: PartitionLag[] = [];
  for (const topic of topics) {
    const offsets = new Map((committed.find((entry) => entry.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]));
    const ends = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
    for (const end of ends) {
      const offset = offsets.get(end.partition);
      // -1 (or nothing): the group never committed here; everything still retained waits for it.
      const hasCommit = offset !== undefined && Number(offset) >= 0;
      const lag = BigInt(end.high) - BigInt(hasCommit ? offset : end.low);
      lags.push({ topic, partition: end.partition, ...(hasCommit ? { committed: offset } : {}), end: end.high, lag: lag > 0n ? Number(lag) : 0 });
    }
  }
  return lags;
}
