import { CompressionTypes, Kafka, Partitioners, Producer, ProducerConfig } from 'kafkajs';
import { CloudEventHeader } from '@platform/contracts';
import { SendDurationRecorder, sendDurationRecorder, startSendSpans } from '@platform/observability';
import type { OutboxRow } from './outbox-row';
import { toTopicMessages } from './relay-batch';
import { RelayPublishError } from './relay-errors';
import { OUTBOX_TELEMETRY_SCOPE } from './telemetry-scope';

/**
 * Idempotent with one request in flight: kafkajs only keeps per-partition order across its own
 * retries under idempotence when a single request is outstanding, and the broker then drops the
 * duplicates those retries would create.
 *
 * Retries are bounded (kafkajs would retry an idempotent producer forever): the relay's own loop
 * backs off, logs the outage once and stays stoppable. The price kafkajs warns about, sequence
 * state that may be out of step after a failed send, is avoided by discarding the producer after
 * any failure; its replacement gets a new producer id and resends the whole batch, which is the
 * at-least-once duplicate (same ce_id) consumers already tolerate.
 */
export const RELAY_PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  // The Java client's murmur2 partitioner: a key lands on the same partition whoever produces it.
  createPartitioner: Partitioners.DefaultPartitioner,
  retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
};

/** acks=all: a batch counts as published only once every in-sync replica has it. */
export const RELAY_ACKS = -1;

export class RelayPublisher {
  private producer: Producer | undefined;
  private readonly recordSend: SendDurationRecorder = sendDurationRecorder(OUTBOX_TELEMETRY_SCOPE, 'Time for Kafka to acknowledge one batch of outbox rows (acks=all).');

  constructor(
    private readonly kafka: Kafka,
    private readonly compression: CompressionTypes = CompressionTypes.None,
  ) {}

  /**
   * One sendBatch for the whole claimed batch; resolves once Kafka has acknowledged all of it.
   * Each row gets a send span whose parent is the context stored in the row, and that span's
   * context goes out in the record's headers: consumers continue the signup's trace through us.
   */
  async publish(rows: readonly OutboxRow[]): Promise<void> {
    const spans = startSendSpans(
      OUTBOX_TELEMETRY_SCOPE,
      rows.map((row) => ({ topic: row.topic, key: row.messageKey, id: row.headers[CloudEventHeader.Id], type: row.headers[CloudEventHeader.Type], headers: row.headers })),
      { parent: 'stored', propagate: true },
    );
    const traced = rows.map((row, i) => (spans.headers[i] === row.headers ? row : { ...row, headers: spans.headers[i] }));
    let started = performance.now();
    try {
      const producer = await this.connected();
      // A reconnect after a failure is not the send's time.
      started = performance.now();
      await producer.sendBatch({ topicMessages: toTopicMessages(traced), acks: RELAY_ACKS, compression: this.compression });
    } catch (error) {
      this.recordSend(started, error);
      spans.end(error);
      await this.discard();
      throw new RelayPublishError(`Kafka did not acknowledge ${rows.length} events: ${describeKafkaError(error)}`, error);
    }
    this.recordSend(started);
    spans.end();
  }

  async close(): Promise<void> {
    await this.discard();
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer(RELAY_PRODUCER_CONFIG);
    this.producer = producer;
    await producer.connect();
    return producer;
  }

  private async discard(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    try {
      await producer?.disconnect();
    } catch {
      // A producer that cannot reach the broker cannot say goodbye to it either.
    }
  }
}

/** kafkajs nests the root cause of "retries exceeded"; the innermost message is the useful one. */
export function describeKafkaError(error: unknown): string {
  let current = error as { message?: string; type?: string; cause?: unknown; originalError?: unknown } | undefined;
  const parts: string[] = [];
  for (let depth = 0; current && depth < 4; depth++) {
    if (current.message && !parts.includes(current.message)) parts.push(current.type ? `${current.type}: ${current.message}` : current.message);
    current = (current.originalError ?? current.cause) as typeof current;
  }
  return parts.join(' <- ') || String(error);
}
