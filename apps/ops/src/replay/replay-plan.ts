import { PartitionRange, partitionKey, totalSize } from '../reading/partition-range';
import type { ReplayKind } from './replay-job';
import type { SavedProgress } from './replay-progress';

/**
 * What this run of a job does:
 * - `fresh`: no progress saved (or --restart): the initial ranges, a new run.
 * - `resume`: an earlier run did not reach its end: the rest of its ranges, same run id.
 * - `continue`: a dead-letter replay that finished before: what was dead-lettered since, a new
 *   run. A dead-letter topic is a queue of work, and the job's progress its cursor.
 * - `complete`: a topic replay that finished before (its range is fixed), or nothing new.
 */
export interface ReplayPlan {
  readonly mode: 'fresh' | 'resume' | 'continue' | 'complete';
  readonly run: string;
  readonly ranges: readonly PartitionRange[];
}

export interface PlanInput {
  readonly kind: ReplayKind;
  readonly restart: boolean;
  readonly saved: ReadonlyMap<string, SavedProgress>;
  /** Where a fresh run would go: start at the first record to replay, end at what exists now (or --to). */
  readonly initial: readonly PartitionRange[];
  /** The log start offset and the high watermark of each input partition now. */
  readonly now: ReadonlyMap<string, { readonly low: bigint; readonly high: bigint }>;
  readonly newRun: string;
}

export function planReplay(input: PlanInput): ReplayPlan {
  const { saved, initial, newRun } = input;
  if (input.restart || saved.size === 0) return { mode: 'fresh', run: newRun, ranges: initial };

  const low = (range: PartitionRange) => input.now.get(partitionKey(range.topic, range.partition))?.low ?? 0n;
  const savedOf = (range: PartitionRange) => saved.get(partitionKey(range.topic, range.partition));
  const unfinished = [...saved.values()].find((s) => s.next < s.end);
  if (unfinished) {
    return {
      mode: 'resume',
      run: unfinished.run,
      ranges: initial.map((range) => {
        const progress = savedOf(range);
        // Records deleted meanwhile (retention, a purge) are gone; start at what is left.
        if (progress) return { ...range, start: max(progress.next, low(range)), end: progress.end };
        return range;
      }),
    };
  }
  if (input.kind === 'topic') return { mode: 'complete', run: [...saved.values()][0].run, ranges: [] };
  const since = initial.map((range) => {
    const progress = savedOf(range);
    return progress ? { ...range, start: max(progress.next, low(range)) } : range;
  });
  return totalSize(since) === 0n ? { mode: 'complete', run: [...saved.values()][0].run, ranges: [] } : { mode: 'continue', run: newRun, ranges: since };
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
