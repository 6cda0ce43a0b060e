import type { Kafka, Message, PartitionOffset, Producer, Transaction } from 'kafkajs';
import { ReplayFencedError } from '../errors';
import { partitionKey } from '../reading/partition-range';
import type { ReplayJob } from './replay-job';

/** Below the broker's default message.max.bytes (1 MB) even when a whole send goes to one partition. */
const MAX_SEND_BYTES = 512 * 1024;
/** Short, so a killed run holds back read_committed readers of the retry topic for seconds, not a minute. */
const TRANSACTION_TIMEOUT_MS = 10_000;
/** With the backoff below, about 20 s: far longer than a coordinator takes to finish a commit. */
const CONCURRENT_RETRIES = 220;
const FENCED = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/**
 * Publishes replayed records and commits the replay's progress in the same Kafka transaction, so
 * after any crash the progress says exactly which records were published: a resumed run starts
 * after the last committed one and publishes nothing twice. Consumers read the retry topics
 * read_committed (the kafkajs default), so a transaction cut short by a crash is never seen.
 *
 * The transactional id is the job's: opening fences any other process still running the same
 * job (its next commit fails) and aborts a transaction it left open.
 */
export class ReplayPublisher {
  private transaction?: Transaction;
  private readonly offsets = new Map<string, { topic: string; partition: number; next: bigint }>();
  private pendingRecords = 0;

  private constructor(
    private readonly producer: Producer,
    private readonly job: ReplayJob,
  ) {}

  static async open(kafka: Kafka, job: ReplayJob): Promise<ReplayPublisher> {
    const producer = kafka.producer({
      transactionalId: job.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: TRANSACTION_TIMEOUT_MS,
      // The coordinator answers CONCURRENT_TRANSACTIONS for a moment after each commit while it
      // writes the markers; kafkajs' default 300 ms first retry would cap a replay at a few
      // transactions a second. Bounded (about 20 s) so a lost broker ends the run, not hangs it:
      // a failed send aborts its transaction, and the progress stays true.
      retry: { retries: 30, initialRetryTime: 5, maxRetryTime: 1_000, factor: 0.2, multiplier: 1.5 },
    });
    await producer.connect();
    const publisher = new ReplayPublisher(producer, job);
    // Initialising the transactional id is what fences an older run; do it before its progress is read.
    await publisher.guard(async () => {
      const first = await producer.transaction();
      await first.abort();
    });
    return publisher;
  }

  /** Records published in the open transaction. */
  get pending(): number {
    return this.pendingRecords;
  }

  hasUncommitted(): boolean {
    return this.transaction !== undefined || this.offsets.size > 0;
  }

  async send(topic: string, messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const transaction = await this.begin();
    let chunk: Message[] = [];
    let bytes = 0;
    for (const message of messages) {
      const size = messageBytes(message);
      if (chunk.length > 0 && bytes + size > MAX_SEND_BYTES) {
        await this.guard(() => transaction.send({ topic, acks: -1, messages: chunk }));
        chunk = [];
        bytes = 0;
      }
      chunk.push(message);
      bytes += size;
    }
    await this.guard(() => transaction.send({ topic, acks: -1, messages: chunk }));
    this.pendingRecords += messages.length;
  }

  /** Everything before `next` on this partition is done with; committed by the next commit(). */
  progress(topic: string, partition: number, next: bigint): void {
    this.offsets.set(partitionKey(topic, partition), { topic, partition, next });
  }

  /** Commits the open transaction: the records sent in it and the progress noted since the last commit. */
  async commit(metadataFor: (topic: string, partition: number) => string): Promise<void> {
    if (!this.hasUncommitted()) return;
    const transaction = await this.begin();
    const byTopic = new Map<string, PartitionOffset[]>();
    for (const { topic, partition, next } of this.offsets.values()) {
      // kafkajs passes the metadata through to TxnOffsetCommit; its types just do not list it.
      const entry = { partition, offset: next.toString(), metadata: metadataFor(topic, partition) } as PartitionOffset;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), entry]);
    }
    await this.guard(async () => {
      if (byTopic.size > 0) {
        const offsets = { consumerGroupId: this.job.progressGroup, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
        await whileConcurrent(() => transaction.sendOffsets(offsets));
      }
      await transaction.commit();
    });
    this.transaction = undefined;
    this.offsets.clear();
    this.pendingRecords = 0;
  }

  async close(): Promise<void> {
    if (this.transaction?.isActive()) await this.transaction.abort().catch(() => undefined);
    await this.producer.disconnect();
  }

  private async begin(): Promise<Transaction> {
    if (!this.transaction) {
      this.transaction = await this.guard(() => this.producer.transaction());
    }
    return this.transaction;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (FENCED.has((error as { type?: string }).type ?? '')) throw new ReplayFencedError(this.job.id);
      throw error;
    }
  }
}

/**
 * Right after a commit the coordinator answers CONCURRENT_TRANSACTIONS until it has written the
 * previous transaction's markers. kafkajs retries that when a transaction starts with a send,
 * but not when it starts with offsets (a step of skipped records only), so this does.
 */
export async function whileConcurrent<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if ((error as { type?: string }).type !== 'CONCURRENT_TRANSACTIONS' || attempt >= CONCURRENT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 * attempt, 100)));
    }
  }
}

function messageBytes(message: Message): number {
  let size = 64 + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    size += name.length + (Array.isArray(value) ? value.reduce((sum, v) => sum + (v?.length ?? 0), 0) : (value?.length ?? 0));
  }
  return size;
}
