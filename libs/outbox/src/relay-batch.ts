import type { Message, TopicMessages } from 'kafkajs';
import type { OutboxRow } from './outbox-row';

/**
 * Kafka refuses a record batch larger than the broker's message.max.bytes (1 MiB by default) for
 * one partition. Capping the whole send below that keeps every partition's share below it too,
 * whatever the partitioner does, so a batch of large events cannot wedge the relay.
 */
export const DEFAULT_MAX_BATCH_BYTES = 900_000;

/** Per-record framing in a v2 record batch, rounded up: offsets, lengths, timestamps. */
const RECORD_OVERHEAD_BYTES = 64;

export function estimateRecordBytes(row: OutboxRow): number {
  let bytes = RECORD_OVERHEAD_BYTES + Buffer.byteLength(row.messageKey) + Buffer.byteLength(row.value);
  for (const [name, value] of Object.entries(row.headers)) bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 2;
  return bytes;
}

/**
 * The longest prefix of `rows` that fits in `maxBytes`, and always at least one row: a prefix,
 * never a selection, because skipping a row would publish a later event of the same account first.
 */
export function takeWithinBytes(rows: readonly OutboxRow[], maxBytes: number): OutboxRow[] {
  let total = 0;
  let count = 0;
  for (const row of rows) {
    total += estimateRecordBytes(row);
    if (count > 0 && total > maxBytes) break;
    count++;
  }
  return rows.slice(0, count);
}

/**
 * Groups a batch for one producer.sendBatch: one entry per topic, rows in id order within it, so
 * each account's events reach its partition in the order they were committed.
 */
export function toTopicMessages(rows: readonly OutboxRow[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    let messages = byTopic.get(row.topic);
    if (!messages) byTopic.set(row.topic, (messages = []));
    messages.push({ key: row.messageKey, value: row.value, headers: row.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
