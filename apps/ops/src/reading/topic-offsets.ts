import type { Admin } from 'kafkajs';
import { PreconditionError } from '../errors';

export interface Watermarks {
  readonly partition: number;
  /** The first offset still held (log start). */
  readonly low: bigint;
  /** The offset the next record will get. */
  readonly high: bigint;
}

export async function assertTopicsExist(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) throw new PreconditionError(`missing topic(s) ${missing.join(', ')}: create them with \`ops topics apply --execute\``);
}

export async function watermarks(admin: Admin, topic: string): Promise<Watermarks[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets
    .map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }))
    .sort((a, b) => a.partition - b.partition);
}

/** Per partition, the first offset whose record timestamp is at or after `at` (the high watermark if none). */
export async function offsetsAtTime(admin: Admin, topic: string, at: number): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, at);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.offset)]));
}
