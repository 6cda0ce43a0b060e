import type { EachBatchPayload } from 'kafkajs';
import { originOf } from '../dead-letter/failure-headers';
import { priorAttempts } from '../dead-letter/failure-headers';
import { stringHeaders } from '../kafka/record-headers';
import type { TopicRoutes } from '../routing/topic-routes';
import { RecordJob, Step, isSettled } from './record-job';

/**
 * One partition's batch, record by record and in order (per-key order lives here). An offset is
 * resolved only after its record is settled, which includes any retry or dead-letter write having
 * been acknowledged; a thrown error leaves the record unresolved so kafkajs redelivers it.
 */
export async function processBatch(payload: EachBatchPayload, routes: TopicRoutes, step: Step, now: () => number): Promise<void> {
  const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale, pause } = payload;
  const route = routes.routeOf(batch.topic);
  for (const message of batch.messages) {
    // Stopped (close() is draining) or a seek/rebalance made the rest of this batch obsolete.
    if (!isRunning() || isStale()) break;
    const fromSourceTopic = route.stage === 0;
    const before = priorAttempts(message.headers, fromSourceTopic);
    const job: RecordJob = {
      message,
      route,
      partition: batch.partition,
      headers: stringHeaders(message.headers),
      origin: originOf(message.headers, { topic: batch.topic, partition: batch.partition, offset: message.offset, timestamp: message.timestamp }, fromSourceTopic),
      key: message.key === null ? null : message.key.toString('utf8'),
      startedAt: now(),
      heartbeat,
      pausePartition: pause,
      attemptsBefore: before,
      attempts: before,
      inTransaction: [],
    };
    const outcome = await step(job);
    if (!isSettled(outcome)) break;
    resolveOffset(message.offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }
}
