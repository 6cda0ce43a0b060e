import type { Producer } from 'kafkajs';
import type { KafkaConfig } from '@platform/config';
import { EventEnvelope, encodeEnvelope } from '@platform/contracts';
import { PublishError } from '../errors/runtime-errors';
import { createKafkaClient } from '../kafka/kafka-client';
import { ACKS_ALL, createIdempotentProducer } from '../kafka/idempotent-producer';
import { RuntimeLogger, jsonLineLogger } from '../logging/runtime-logger';

/**
 * How a stateless consumer publishes its reactions: it has no outbox, so it publishes before it
 * acknowledges its input, and relies on deterministic event ids plus downstream inboxes to make a
 * redelivered input harmless.
 */
export class EventPublisher {
  private constructor(private readonly producer: Producer) {}

  static async connect(kafka: KafkaConfig, clientId?: string, logger: RuntimeLogger = jsonLineLogger()): Promise<EventPublisher> {
    const client = createKafkaClient(kafka, clientId ?? kafka.clientId, logger);
    const producer = createIdempotentProducer(client);
    await producer.connect();
    return new EventPublisher(producer);
  }

  /** Sends the events as one batch, keyed by subject (the account), and resolves once all replicas have them. */
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map((event) => {
      const record = encodeEnvelope(event);
      return { key: record.key, value: record.value, headers: record.headers };
    });
    try {
      await this.producer.send({ topic, acks: ACKS_ALL, messages });
    } catch (error) {
      throw new PublishError(topic, error);
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
