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

/** The partitions of a topic with their low and high watermarks, as `admin.fetchTopicOffsets` gives them. */
export type EndOffsets = (topic: string) => ReturnType<Admin['fetchTopicOffsets']>;

/**
 * A group's lag on every partition of `topics`, as the brokers see it. One definition for the
 * runtime's lag metric, `ops groups` and the chaos run, so the dashboard, the CLI and the chaos
 * verdict agree on what "caught up" means. `endOffsets` lets a caller reporting on many groups
 * fetch each topic's ends once (`ops groups --all`); by default they are fetched here, all topics
 * at once.
 */
export async function partitionLags(admin: Admin, groupId: string, topics: readonly string[], endOffsets: EndOffsets = (topic) => admin.fetchTopicOffsets(topic)): Promise<PartitionLag[]> {
  if (topics.length === 0) return [];
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const endsByTopic = await Promise.all(topics.map((topic) => endOffsets(topic)));
  const lags: PartitionLag[] = [];
  topics.forEach((topic, index) => {
    const offsets = new Map((committed.find((entry) => entry.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]));
    const ends = [...endsByTopic[index]].sort((a, b) => a.partition - b.partition);
    for (const end of ends) {
      const offset = offsets.get(end.partition);
      // -1 (or nothing): the group never committed here; everything still retained waits for it.
      const hasCommit = offset !== undefined && Number(offset) >= 0;
      const lag = BigInt(end.high) - BigInt(hasCommit ? offset : end.low);
      lags.push({ topic, partition: end.partition, ...(hasCommit ? { committed: offset } : {}), end: end.high, lag: lag > 0n ? Number(lag) : 0 });
    }
  });
  return lags;
}
