/** Offsets [start, end) of one partition: start is the first offset to read, end the first not to. */
export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  readonly start: bigint;
  readonly end: bigint;
}

export function rangeSize(range: PartitionRange): bigint {
  return range.end > range.start ? range.end - range.start : 0n;
}

export function totalSize(ranges: readonly PartitionRange[]): bigint {
  return ranges.reduce((sum, range) => sum + rangeSize(range), 0n);
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
