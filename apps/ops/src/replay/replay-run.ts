import type { IHeaders, Kafka, KafkaMessage, Message } from 'kafkajs';
import { PartitionRange, partitionKey, totalSize } from '../reading/partition-range';
import { RangeBatch, ReaderControl, readRanges } from '../reading/range-reader';
import { FilterableRecord, RecordFilter, matchesFilter } from '../records/record-filter';
import { Pacer, sleepUnlessAborted } from './pacer';
import { progressMetadata } from './replay-progress';
import type { ReplayPublisher } from './replay-publisher';
import { ReplayCounts, emptyCounts } from './replay-counts';
import { replayCount } from './replay-headers';
import { stringHeaders } from '@platform/contracts';

/**
 * Unthrottled, a transaction closes at this many records or this age, whichever comes first: each
 * commit costs a few round trips whatever it holds, and the age stays far below the timeout.
 */
const TRANSACTION_RECORDS = 5_000;
const TRANSACTION_AGE_MS = 500;
/** With nothing fetched for this long, what is pending is committed rather than left open. */
const IDLE_COMMIT_MS = 100;

export interface ReplaySelection {
  readonly ranges: readonly PartitionRange[];
  readonly filter: RecordFilter;
  /** Input topic → the topic its records are replayed to. */
  readonly destinations: ReadonlyMap<string, string>;
  /** Dead-letter replays: records replayed this often already are refused. */
  readonly maxReplays?: number;
}

export interface ReplayRunOptions extends ReplaySelection {
  readonly run: string;
  readonly limit?: number;
  readonly ratePerSecond?: number;
  readonly headersFor: (message: KafkaMessage, topic: string, partition: number) => IHeaders;
  readonly signal: AbortSignal;
  readonly onProgress?: (counts: ReplayCounts) => void;
}

export interface ReplayOutcome {
  readonly counts: ReplayCounts;
  /** `complete`: the whole range; `limit`: --limit reached; `interrupted`: stopped by a signal. */
  readonly stoppedBy: 'complete' | 'limit' | 'interrupted';
  readonly seconds: number;
  /** Records published per second, first publish to last commit. */
  readonly publishRate: number;
}

type Verdict = 'publish' | 'skip' | 'refuse';

const NO_HEADERS: Readonly<Record<string, string>> = {};

export function judge(selection: Pick<ReplaySelection, 'filter' | 'maxReplays'>, message: KafkaMessage): Verdict {
  const { filter } = selection;
  // Headers and key as strings only when a filter reads them: at replay rates the conversions show.
  const headers = filter.types || filter.errorCodes ? stringHeaders(message.headers) : NO_HEADERS;
  const key = filter.keys && message.key !== null ? message.key.toString('utf8') : null;
  const record: FilterableRecord = { key, headers, timestamp: Number(message.timestamp) };
  if (!matchesFilter(filter, record)) return 'skip';
  if (selection.maxReplays !== undefined && replayCount(message.headers) >= selection.maxReplays) return 'refuse';
  return 'publish';
}

/** How far reading may run ahead of publishing, in records waiting to be published. */
const AHEAD_RECORDS = 2 * TRANSACTION_RECORDS;

/** Counts a piece of work brings with it, added once its progress is handed to the publisher. */
interface Tally {
  examined: number;
  skipped: number;
  refused: number;
}

/** One batch's work for the publisher, in order: steps of records, each with the progress after it. */
interface BatchWork {
  readonly topic: string;
  readonly partition: number;
  readonly destination: string;
  readonly steps: { readonly records: Message[]; readonly through: bigint; readonly tally: Tally }[];
  /** Progress after the last record looked at, and what was looked at since the last step. */
  readonly tail?: { readonly through: bigint; readonly tally: Tally };
  readonly records: number;
}

/**
 * Reads the planned ranges and republishes what the filters select, with progress committed in
 * the same transaction as the records before it. Throttled, each paced step of records is its
 * own transaction; unthrottled, transactions are batched (up to 5,000 records or 500 ms) because
 * a transaction costs the broker a few round trips whatever it holds.
 *
 * Reading and publishing overlap: a batch is judged as it arrives and its work queued, so the
 * next fetch is on its way while the producer waits for acknowledgements. The queue runs in
 * order, and progress only ever goes through it, so no progress is committed ahead of a record
 * still waiting to be published.
 */
export async function runReplay(kafka: Kafka, publisher: ReplayPublisher, options: ReplayRunOptions): Promise<ReplayOutcome> {
  const counts = emptyCounts();
  const pacer = new Pacer(options.ratePerSecond, undefined, sleepUnlessAborted(options.signal));
  const stepSize = pacer.stepSize(TRANSACTION_RECORDS);
  const ends = new Map(options.ranges.map((r) => [partitionKey(r.topic, r.partition), r.end]));
  const metadataFor = (topic: string, partition: number) => progressMetadata(ends.get(partitionKey(topic, partition))!, options.run);
  const queue = new WorkQueue();
  let stoppedBy: ReplayOutcome['stoppedBy'] = 'complete';
  let selected = 0;
  let firstPublish: number | undefined;
  let lastCommit: number | undefined;
  const started = performance.now();

  let committedAt = performance.now();
  const commit = async () => {
    const had = publisher.pending;
    await publisher.commit(metadataFor);
    committedAt = performance.now();
    if (had > 0) lastCommit = committedAt;
    options.onProgress?.(counts);
  };
  // Also when only skipped records went by: their progress is worth keeping, and an open
  // transaction must never come near its timeout however long a run of skipped records is.
  const commitDue = () => publisher.pending >= TRANSACTION_RECORDS || performance.now() - committedAt >= TRANSACTION_AGE_MS;

  const add = (tally: Tally) => {
    counts.examined += tally.examined;
    counts.skipped += tally.skipped;
    counts.refused += tally.refused;
  };
  const publish = async (work: BatchWork) => {
    for (const step of work.steps) {
      await pacer.admit(step.records.length);
      // Interrupted: what is queued behind the step in hand is neither published nor marked done.
      if (options.signal.aborted) return interrupted();
      firstPublish ??= performance.now();
      await publisher.send(work.destination, step.records);
      counts.published += step.records.length;
      add(step.tally);
      publisher.progress(work.topic, work.partition, step.through);
      if (pacer.throttled || commitDue()) await commit();
    }
    if (work.tail) {
      if (options.signal.aborted) return interrupted();
      add(work.tail.tally);
      publisher.progress(work.topic, work.partition, work.tail.through);
    }
    if (publisher.hasUncommitted() && (stoppedBy !== 'complete' || commitDue())) await commit();
    options.onProgress?.(counts);
  };
  const interrupted = () => {
    if (stoppedBy === 'complete') stoppedBy = 'interrupted';
  };

  const onBatch = async (batch: RangeBatch, control: ReaderControl) => {
    const steps: BatchWork['steps'][number][] = [];
    let step: Message[] = [];
    let tally: Tally = { examined: 0, skipped: 0, refused: 0 };
    let through: bigint | undefined;
    for (const message of batch.messages) {
      if (options.signal.aborted) {
        interrupted();
        break;
      }
      tally.examined += 1;
      const verdict = judge(options, message);
      through = BigInt(message.offset) + 1n;
      if (verdict === 'skip') tally.skipped += 1;
      else if (verdict === 'refuse') tally.refused += 1;
      else {
        step.push({ key: message.key, value: message.value, headers: options.headersFor(message, batch.topic, batch.partition) });
        selected += 1;
      }
      const limitReached = options.limit !== undefined && selected >= options.limit;
      if (step.length >= stepSize || limitReached) {
        steps.push({ records: step, through, tally });
        step = [];
        tally = { examined: 0, skipped: 0, refused: 0 };
      }
      if (limitReached) {
        stoppedBy = 'limit';
        break;
      }
    }
    // Interrupted part-way, progress goes only as far as the records looked at.
    if (step.length > 0) {
      steps.push({ records: step, through: through!, tally });
      tally = { examined: 0, skipped: 0, refused: 0 };
    }
    const work: BatchWork = {
      topic: batch.topic,
      partition: batch.partition,
      destination: options.destinations.get(batch.topic)!,
      steps,
      tail: tally.examined > 0 ? { through: through!, tally } : undefined,
      records: steps.reduce((sum, s) => sum + s.records.length, 0),
    };
    queue.push(work.records, () => publish(work));
    if (stoppedBy !== 'complete') control.stop();
    else await queue.below(AHEAD_RECORDS);
  };

  try {
    await readRanges(kafka, options.ranges, {
      onBatch,
      onIdle: async () => {
        await queue.drain();
        if (publisher.hasUncommitted()) await commit();
      },
      idleMs: IDLE_COMMIT_MS,
      signal: options.signal,
    });
    await queue.drain();
    if (options.signal.aborted && stoppedBy === 'complete' && counts.examined < Number(totalSize(options.ranges))) stoppedBy = 'interrupted';
    await commit();
  } finally {
    // Whatever happened, nothing queued is left running behind the caller's back.
    await queue.settled();
    options.onProgress?.(counts);
  }
  const publishing = firstPublish !== undefined && lastCommit !== undefined ? (lastCommit - firstPublish) / 1000 : 0;
  return {
    counts,
    stoppedBy,
    seconds: (performance.now() - started) / 1000,
    publishRate: publishing > 0 ? counts.published / publishing : 0,
  };
}

/** Work run one piece after another, in the order pushed; the first failure fails everything after. */
class WorkQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private failure?: { error: unknown };

  push(records: number, work: () => Promise<void>): void {
    this.rethrow();
    this.waiting += records;
    this.tail = this.tail.then(async () => {
      try {
        if (!this.failure) await work();
      } catch (error) {
        this.failure ??= { error };
      } finally {
        this.waiting -= records;
      }
    });
  }

  /** Backpressure: if more than `records` records wait, resolves once all pushed work is done. */
  async below(records: number): Promise<void> {
    if (this.waiting > records) await this.tail;
    this.rethrow();
  }

  /** Resolves once all pushed work is done; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.rethrow();
  }

  /** Like drain(), but never throws: for clean-up after something else failed. */
  async settled(): Promise<void> {
    await this.tail;
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.error;
  }
}

/** A dry run: the same reading and judging, with nothing published and no progress committed. */
export async function countReplay(kafka: Kafka, selection: ReplaySelection, signal: AbortSignal): Promise<Map<string, ReplayCounts>> {
  const byPartition = new Map<string, ReplayCounts>(selection.ranges.map((r) => [partitionKey(r.topic, r.partition), emptyCounts()]));
  await readRanges(kafka, selection.ranges, {
    signal,
    onBatch: async (batch) => {
      const counts = byPartition.get(partitionKey(batch.topic, batch.partition))!;
      for (const message of batch.messages) {
        counts.examined += 1;
        const verdict = judge(selection, message);
        if (verdict === 'skip') counts.skipped += 1;
        else if (verdict === 'refuse') counts.refused += 1;
        else counts.published += 1;
      }
    },
  });
  return byPartition;
}
