import { readRetryNotBefore } from '../dead-letter/failure-headers';
import { RetryNotBeforeInvalidError } from '../errors/runtime-errors';
import { sleep } from '../retry/wait';
import type { PipelineDeps } from './pipeline-deps';
import type { Middleware } from './record-job';

/** Below this, waiting in line is cheaper than a pause/resume round trip through the fetcher. */
const PAUSE_THRESHOLD_MS = 200;

/**
 * Leeway beyond a retry topic's own delay before x-retry-not-before counts as out of bounds: it
 * covers clock skew between the replica that wrote the record and the one reading it, and a
 * delay shortened by a deploy while records written with the longer one still wait.
 */
export const RETRY_NOT_BEFORE_MARGIN_MS = 5 * 60_000;

/** The furthest ahead x-retry-not-before may be on retry topic `stage`, from now. */
export function retryNotBeforeLimitMs(deps: Pick<PipelineDeps, 'routes'>, stage: number): number {
  return deps.routes.delayOf(stage) + RETRY_NOT_BEFORE_MARGIN_MS;
}

/**
 * A record from a retry topic waits until its x-retry-not-before time. Its partition is paused and
 * resumed by a timer rather than slept on: kafkajs fetches the next batch only after every
 * partition of the current one is done, so sleeping here would stall the whole consumer. Paused,
 * the fetch loop keeps heartbeating and the group membership is kept.
 *
 * A time that is not a time, or further ahead than this retry topic's delay plus the margin, was
 * not written by this runtime's schedule: waiting for it would hold the partition for a day (or,
 * past setTimeout's 2^31-1 ms, resume at once and spin), so it throws a permanent error and the
 * dead-letter step, which runs around this one, moves the record to the dead-letter topic.
 */
export function dueMiddleware(deps: PipelineDeps): Middleware {
  return async (job, next) => {
    if (job.route.stage === 0) return next();
    const due = readRetryNotBefore(job.message.headers);
    if (due.kind === 'absent') return next();
    const limit = retryNotBeforeLimitMs(deps, job.route.stage);
    if (due.kind === 'unparsable') throw new RetryNotBeforeInvalidError(due.raw, 'unparsable', limit);
    const wait = due.ms - deps.now();
    if (wait > limit) throw new RetryNotBeforeInvalidError(due.raw, 'too far ahead', limit);
    if (wait <= 0) return next();
    if (wait <= PAUSE_THRESHOLD_MS) {
      await sleep(wait, deps.shutdown);
      return deps.shutdown.aborted ? { kind: 'interrupted' } : next();
    }
    const resume = job.pausePartition();
    deps.schedule(wait, resume);
    deps.logger.debug('retry record not due yet; partition paused', { topic: job.route.topic, partition: job.partition, offset: job.message.offset, waitMs: wait });
    return { kind: 'deferred', dueAt: due.ms };
  };
}
