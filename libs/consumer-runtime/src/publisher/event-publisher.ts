import type { Producer } from 'kafkajs';
import type { KafkaConfig } from '@platform/config';
import { EventEnvelope, encodeEnvelope } from '@platform/contracts';
import { PlatformLogger, SendDurationRecorder, sendDurationRecorder, startSendSpans } from '@platform/observability';
import { RUNTIME_TELEMETRY_SCOPE } from '../telemetry/telemetry-scope';
import { PublishError } from '../errors/runtime-errors';
import { createKafkaClient } from '../kafka/kafka-client';
import { ACKS_ALL, createIdempotentProducer } from '../kafka/idempotent-producer';
import { jsonLineLogger } from '../logging/runtime-logger';
import type { EventSink } from './event-sink';

/**
 * How a stateless consumer publishes its reactions: it has no outbox, so it publishes before it
 * acknowledges its input, and relies on deterministic event ids plus downstream inboxes to make a
 * redelivered input harmless.
 */
export class EventPublisher implements EventSink {
  private readonly recordSend: SendDurationRecorder = sendDurationRecorder(RUNTIME_TELEMETRY_SCOPE, 'Time for Kafka to acknowledge one publish (acks=all).');

  private constructor(private readonly producer: Producer) {}

  static async connect(kafka: KafkaConfig, clientId?: string, logger: PlatformLogger = jsonLineLogger()): Promise<EventPublisher> {
    const client = createKafkaClient(kafka, clientId ?? kafka.clientId, logger);
    const producer = createIdempotentProducer(client);
    await producer.connect();
    return new EventPublisher(producer);
  }

  /**
   * Sends the events as one batch, keyed by subject (the account), and resolves once all replicas
   * have them. Each gets a send span, child of the active span (the handler's process span), and
   * carries that span's context: whoever consumes the reaction continues the same trace.
   */
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    const records = events.map((event) => encodeEnvelope(event));
    const spans = startSendSpans(
      RUNTIME_TELEMETRY_SCOPE,
      records.map((record, i) => ({ topic, key: record.key, id: events[i].id, type: events[i].type, headers: record.headers })),
      { parent: 'active', propagate: true },
    );
    const messages = records.map((record, i) => ({ key: record.key, value: record.value, headers: { ...spans.headers[i] } }));
    const started = performance.now();
    try {
      await this.producer.send({ topic, acks: ACKS_ALL, messages });
    } catch (error) {
      this.recordSend(started, error);
      spans.end(error);
      throw new PublishError(topic, error);
    }
    this.recordSend(started);
    spans.end();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
