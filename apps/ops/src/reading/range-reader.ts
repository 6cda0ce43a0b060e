import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { PartitionRange, partitionKey } from './partition-range';

/** Reader groups are throwaway: never committed to, deleted after use, hidden by `ops groups`. */
export const READER_GROUP_PREFIX = 'ops-reader.';

export interface RangeBatch {
  readonly topic: string;
  readonly partition: number;
  /** In offset order, each inside the partition's range and never handed over twice. */
  readonly messages: readonly KafkaMessage[];
}

export interface ReaderControl {
  /** Reads no more of this partition; reading ends once every partition is finished. */
  finish(topic: string, partition: number): void;
  /** Reads no more at all. */
  stop(): void;
}

export interface ReadOptions {
  readonly onBatch: (batch: RangeBatch, control: ReaderControl) => Promise<void>;
  /** Called after `idleMs` without a batch; runs in turn with onBatch, never beside it. */
  readonly onIdle?: () => Promise<void>;
  readonly idleMs?: number;
  /** Aborting stops reading after the batch in hand. */
  readonly signal?: AbortSignal;
}

/** No batch for this long: look at the partitions' watermarks in case the records are gone. */
const STALL_CHECK_MS = 5_000;

/**
 * Reads offset ranges of partitions once, in order per partition, with a consumer in a group of
 * its own that commits nothing: whoever calls this keeps progress where it belongs. kafkajs has
 * no group-less assign(), so the group is the price of reading; it is deleted afterwards.
 * read_committed (the kafkajs default): records of open or aborted transactions are never read.
 */
export async function readRanges(kafka: Kafka, ranges: readonly PartitionRange[], options: ReadOptions): Promise<void> {
  const active = ranges.filter((r) => r.end > r.start);
  if (active.length === 0 || options.signal?.aborted) return;
  const reading = new RangeReading(kafka, active, options);
  await reading.run();
}

class RangeReading {
  private readonly position = new Map<string, bigint>();
  private readonly end = new Map<string, bigint>();
  private readonly finished = new Set<string>();
  private readonly groupId = `${READER_GROUP_PREFIX}${randomBytes(6).toString('hex')}`;
  private readonly consumer: Consumer;
  private chain: Promise<void> = Promise.resolve();
  private over = false;
  private failure: unknown;
  private settle!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.settle = resolve));
  private idleTimer?: NodeJS.Timeout;
  private stallTimer?: NodeJS.Timeout;
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly ranges: readonly PartitionRange[],
    private readonly options: ReadOptions,
  ) {
    for (const range of ranges) {
      this.position.set(partitionKey(range.topic, range.partition), range.start);
      this.end.set(partitionKey(range.topic, range.partition), range.end);
    }
    // Large fetches: a replay reads far faster than it can publish, and fewer round trips help both.
    this.consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 32 * 1024 * 1024 });
  }

  private readonly control: ReaderControl = {
    finish: (topic, partition) => this.finish(partitionKey(topic, partition), topic, partition),
    stop: () => this.stopReading(),
  };

  async run(): Promise<void> {
    const onAbort = () => this.stopReading();
    this.options.signal?.addEventListener('abort', onAbort);
    try {
      await this.consumer.connect();
      this.consumer.on(this.consumer.events.END_BATCH_PROCESS, (event) => {
        // Batches made only of transaction markers or aborted records never reach eachBatch;
        // this is where their offsets still move the position on.
        const { topic, partition, lastOffset } = event.payload;
        this.advance(topic, partition, BigInt(lastOffset) + 1n);
      });
      this.consumer.on(this.consumer.events.CRASH, (event) => this.fail(event.payload.error));
      await this.consumer.subscribe({ topics: [...new Set(this.ranges.map((r) => r.topic))], fromBeginning: true });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset }) => {
          await this.onFetched(batch.topic, batch.partition, batch.messages, batch.lastOffset());
          // Nothing is committed (autoCommit is off), but kafkajs fetches on from the last
          // resolved offset: without this it would fetch the same records over and over.
          resolveOffset(batch.lastOffset());
        },
      });
      for (const range of this.ranges) this.consumer.seek({ topic: range.topic, partition: range.partition, offset: range.start.toString() });
      this.armStallCheck();
      await this.done;
      await this.chain;
    } finally {
      this.options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(this.idleTimer);
      clearTimeout(this.stallTimer);
      await this.consumer.disconnect().catch(() => undefined);
      await this.cleanup();
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private async onFetched(topic: string, partition: number, messages: KafkaMessage[], lastOffset: string): Promise<void> {
    const key = partitionKey(topic, partition);
    if (this.over) return;
    if (this.finished.has(key) || !this.end.has(key)) {
      this.consumer.pause([{ topic, partitions: [partition] }]);
      return;
    }
    clearTimeout(this.idleTimer);
    this.armStallCheck();
    const from = this.position.get(key)!;
    const end = this.end.get(key)!;
    // A fetch issued before a seek took effect, or repeated after one, may start earlier.
    const inRange = messages.filter((m) => {
      const offset = BigInt(m.offset);
      return offset >= from && offset < end;
    });
    if (inRange.length > 0) {
      await this.serial(() => this.options.onBatch({ topic, partition, messages: inRange }, this.control));
      if (this.over) return;
    }
    this.advance(topic, partition, BigInt(lastOffset) + 1n);
    if (this.options.onIdle && !this.over) {
      this.idleTimer = setTimeout(() => void this.serial(() => this.options.onIdle!()), this.options.idleMs ?? 100);
    }
  }

  private advance(topic: string, partition: number, next: bigint): void {
    const key = partitionKey(topic, partition);
    const current = this.position.get(key);
    if (current === undefined || this.finished.has(key) || next <= current) return;
    this.position.set(key, next);
    if (next >= this.end.get(key)!) this.finish(key, topic, partition);
  }

  private finish(key: string, topic: string, partition: number): void {
    if (this.finished.has(key)) return;
    this.finished.add(key);
    this.consumer.pause([{ topic, partitions: [partition] }]);
    if (this.finished.size === this.end.size) this.stopReading();
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await work();
      } catch (error) {
        this.fail(error);
      }
    });
    this.chain = next;
    return next;
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.stopReading();
  }

  private stopReading(): void {
    this.over = true;
    clearTimeout(this.idleTimer);
    this.settle();
  }

  /**
   * If records in a range were deleted (retention, a purge) after the range was planned, the
   * fetches never reach its end; a partition whose log now starts at or past its end is done,
   * and one that starts past its position moves up to it.
   */
  private armStallCheck(): void {
    clearTimeout(this.stallTimer);
    if (this.over) return;
    this.stallTimer = setTimeout(() => {
      this.checkStalled().catch((error: unknown) => this.fail(error));
    }, STALL_CHECK_MS);
  }

  private async checkStalled(): Promise<void> {
    this.admin ??= this.kafka.admin();
    await this.admin.connect();
    for (const topic of new Set(this.ranges.map((r) => r.topic))) {
      for (const offsets of await this.admin.fetchTopicOffsets(topic)) {
        const key = partitionKey(topic, offsets.partition);
        const low = BigInt(offsets.low);
        if (this.position.has(key) && low > this.position.get(key)!) this.advance(topic, offsets.partition, low);
      }
    }
    this.armStallCheck();
  }

  private async cleanup(): Promise<void> {
    const admin = this.admin ?? this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.groupId]);
    } catch {
      // A group with no offsets and no members is removed by the broker anyway.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
