import { context } from '@opentelemetry/api';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { extractTraceContext } from '@platform/observability';
import { originOf, priorAttempts } from '../dead-letter/failure-headers';
import type { TopicRoute, TopicRoutes } from '../routing/topic-routes';
import type { FastLane } from './fast-lane';
import { RecordJob, Step, isSettled } from './record-job';
import { stringHeaders } from '@platform/contracts';

/**
 * One partition's batch, in order (per-key order lives here). Runs of plain records go through
 * the fast lane together; any other record, and a record whose handler failed in the lane, goes
 * through the record pipeline alone. An offset is resolved only after its record is settled,
 * which includes its inbox commit and any retry or dead-letter write having been acknowledged; a
 * thrown error leaves the rest unresolved so kafkajs redelivers them.
 */
export async function processBatch(payload: EachBatchPayload, routes: TopicRoutes, step: Step, lane: FastLane | undefined, now: () => number): Promise<void> {
  const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
  const route = routes.routeOf(batch.topic);
  // Stopped (close() is draining) or a seek/rebalance made the rest of this batch obsolete.
  const alive = () => isRunning() && !isStale();
  const messages = batch.messages;
  const settle = async (offset: string) => {
    resolveOffset(offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  };

  let next = 0;
  while (next < messages.length && alive()) {
    let job: RecordJob | undefined;
    if (lane && route.stage === 0) {
      const run = messages.slice(next, next + lane.runSize()).map((message) => recordJob(payload, route, message, now));
      const result = await lane.run(run, alive);
      if (result.settled > 0) {
        for (let i = 0; i < result.settled; i += 1) resolveOffset(run[i].message.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
        next += result.settled;
      }
      if (result.next === 'stop') return;
      if (result.next === 'lane' || result.settled === run.length) continue;
      // A record the lane does not take, or whose handler failed in it: that one goes alone.
      job = run[result.settled];
    }
    job ??= recordJob(payload, route, messages[next], now);
    // In the record's trace context: the pipeline's log lines (a failed attempt, a dead letter)
    // carry its trace id, and a forward to a retry topic is a span of its trace.
    const current = job;
    const outcome = await context.with(extractTraceContext(current.headers), () => step(current));
    if (!isSettled(outcome)) break;
    await settle(job.message.offset);
    next += 1;
  }
}

function recordJob(payload: EachBatchPayload, route: TopicRoute, message: KafkaMessage, now: () => number): RecordJob {
  const { batch, heartbeat, pause } = payload;
  const fromSourceTopic = route.stage === 0;
  const before = priorAttempts(message.headers, fromSourceTopic);
  return {
    message,
    route,
    partition: batch.partition,
    headers: Object.freeze(stringHeaders(message.headers)),
    origin: originOf(message.headers, { topic: batch.topic, partition: batch.partition, offset: message.offset, timestamp: message.timestamp }, fromSourceTopic),
    key: message.key === null ? null : message.key.toString('utf8'),
    startedAt: now(),
    heartbeat,
    pausePartition: pause,
    attemptsBefore: before,
    attempts: before,
    inTransaction: [],
  };
}
