import type { Kafka } from 'kafkajs';
import { waitFor } from '@platform/testing';

/**
 * Resolves once a consumer group has committed past an offset: the record there is settled
 * (handled, skipped as a duplicate, or handed on), which is how a spec knows a record that should
 * change nothing has been seen.
 */
export async function waitForGroupPast(kafka: Kafka, groupId: string, topic: string, partition: number, offset: string, timeoutMs = 20_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const mine = committed?.partitions.find((p) => p.partition === partition);
        return mine !== undefined && BigInt(mine.offset) > BigInt(offset);
      },
      { what: `${groupId} to commit past ${topic}[${partition}]@${offset}`, timeoutMs, intervalMs: 200 },
    );
  } finally {
    await admin.disconnect();
  }
}

/** Resolves once a group has committed everything a topic holds: nothing of it is still in flight. */
export async function waitForGroupCaughtUp(kafka: Kafka, groupId: string, topic: string, timeoutMs = 20_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return ends.every((end) => {
          const mine = committed?.partitions.find((p) => p.partition === end.partition);
          // -1: nothing committed; fine only where the partition has never held a record.
          return mine !== undefined && (mine.offset === '-1' ? end.high === end.low : BigInt(mine.offset) >= BigInt(end.high));
        });
      },
      { what: `${groupId} to catch up with ${topic}`, timeoutMs, intervalMs: 200 },
    );
  } finally {
    await admin.disconnect();
  }
}
