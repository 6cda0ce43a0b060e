import { Kafka, Partitioners, Producer } from 'kafkajs';

/**
 * The producer both the publisher and the dead-letter writer use: idempotent (no duplicates from
 * the producer's own retries) and a single request in flight, so a retried batch cannot overtake
 * the next one and per-key order holds on the way out too. Acks are set to all on every send.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // Named explicitly: the Java-compatible murmur2 partitioner, so a key lands on the same
    // partition number whichever client wrote it (and kafkajs stops warning about the default).
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/** acks=all as kafkajs spells it. */
export const ACKS_ALL = -1;
