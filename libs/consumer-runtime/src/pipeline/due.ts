import { retryNotBeforeMs } from '../dead-letter/failure-headers';
import { sleep } from '../retry/wait';
import type { PipelineDeps } from './pipeline-deps';
import type { Middleware } from './record-job';

/** Below this, waiting in line is cheaper than a pause/resume round trip through the fetcher. */
const PAUSE_THRESHOLD_MS = 200;

/**
 * A record from a retry topic waits until its x-retry-not-before time. Its partition is paused and
 * resumed by a timer rather than slept on: kafkajs fetches the next batch only after every
 * partition of the current one is done, so sleeping here would stall the whole consumer. Paused,
 * the fetch loop keeps heartbeating and the group membership is kept.
 */
export function dueMiddleware(deps: PipelineDeps): Middleware {
  return async (job, next) => {
    if (job.route.stage === 0) return next();
    const dueAt = retryNotBeforeMs(job.message.headers);
    if (dueAt === undefined) return next();
    const wait = dueAt - deps.now();
    if (wait <= 0) return next();
    if (wait <= PAUSE_THRESHOLD_MS) {
      await sleep(wait, deps.shutdown);
      return deps.shutdown.aborted ? { kind: 'interrupted' } : next();
    }
    const resume = job.pausePartition();
    deps.schedule(wait, resume);
    deps.logger.debug('retry record not due yet; partition paused', { topic: job.route.topic, partition: job.partition, offset: job.message.offset, waitMs: wait });
    return { kind: 'deferred', dueAt };
  };
}
