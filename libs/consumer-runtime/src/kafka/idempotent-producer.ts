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
    retry: PRODUCER_RETRY,
  });
}

/**
 * kafkajs gives an idempotent producer Number.MAX_SAFE_INTEGER retries: a send to a topic that
 * keeps refusing never returns, and the partition behind it stalls without heartbeats until the
 * group throws the member out. Bounded instead: 5 retries from 300 ms doubling, each wait capped
 * at 10 s, give up after about 10 s of backoff (plus the requests), well inside the group's 30 s
 * session timeout, and the caller decides (a dead-letter write pauses its partition and tries
 * again; a publish fails with PublishError and is retried by the runtime). kafkajs warns that a
 * limit "may invalidate EoS guarantees": giving up only means the whole send is redone later, so
 * the worst case is a duplicate with the same ce_id, which inboxes already skip.
 */
export const PRODUCER_RETRY = { retries: 5, initialRetryTime: 300, maxRetryTime: 10_000 } as const;

/** acks=all as kafkajs spells it. */
export const ACKS_ALL = -1;
