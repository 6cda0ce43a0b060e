import { UsageError } from '../errors';
import { parseTime } from './time-spec';

/**
 * Where a topic range starts or ends: a time (see parseTime), one offset for every partition, or
 * offsets per partition (`0:120,3:98`; partitions not named are left out of a start, and run to
 * the end for an end).
 */
export type Position =
  | { readonly kind: 'time'; readonly at: number }
  | { readonly kind: 'offset'; readonly offset: bigint }
  | { readonly kind: 'offsets'; readonly byPartition: ReadonlyMap<number, bigint> };

export function parsePosition(raw: string, option: string, now: number): Position {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return { kind: 'offset', offset: BigInt(text) };
  if (/^\d+:\d+(,\d+:\d+)*$/.test(text)) {
    const byPartition = new Map<number, bigint>();
    for (const pair of text.split(',')) {
      const [partition, offset] = pair.split(':');
      if (byPartition.has(Number(partition))) throw new UsageError(`${option} ${raw}: partition ${partition} is given twice`);
      byPartition.set(Number(partition), BigInt(offset));
    }
    return { kind: 'offsets', byPartition };
  }
  return { kind: 'time', at: parseTime(text, option, now) };
}
