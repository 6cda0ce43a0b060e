import type { Admin } from 'kafkajs';
import { partitionKey } from '../reading/partition-range';

/**
 * A replay's progress, as committed in its progress group: per input partition, the next offset
 * to look at, and in the commit's metadata the end of the run it belongs to and the run's id.
 * Committed in the same Kafka transaction as the records published before it, so progress and
 * published records can never disagree, whenever the process dies.
 */
export interface SavedProgress {
  readonly topic: string;
  readonly partition: number;
  readonly next: bigint;
  readonly end: bigint;
  readonly run: string;
}

interface ProgressMetadata {
  readonly end: string;
  readonly run: string;
}

export function progressMetadata(end: bigint, run: string): string {
  const metadata: ProgressMetadata = { end: end.toString(), run };
  return JSON.stringify(metadata);
}

export async function readProgress(admin: Admin, groupId: string, topics: readonly string[]): Promise<Map<string, SavedProgress>> {
  const saved = new Map<string, SavedProgress>();
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    for (const { partition, offset, metadata } of partitions) {
      const parsed = parseMetadata(metadata);
      if (Number(offset) < 0 || !parsed) continue;
      saved.set(partitionKey(topic, partition), { topic, partition, next: BigInt(offset), end: BigInt(parsed.end), run: parsed.run });
    }
  }
  return saved;
}

function parseMetadata(raw: string | null): ProgressMetadata | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<ProgressMetadata>;
    return typeof parsed.end === 'string' && /^\d+$/.test(parsed.end) && typeof parsed.run === 'string' ? (parsed as ProgressMetadata) : undefined;
  } catch {
    return undefined;
  }
}
