import { backoffDelayMs } from '@platform/config';
import { isRetriable } from '@platform/contracts';
import { RetriesExhaustedError, ShutdownInterruptedError, describeError } from '../errors/runtime-errors';
import { fireHook } from '../hooks/runtime-hooks';
import { waitWithHeartbeats } from '../retry/wait';
import type { PipelineDeps } from './pipeline-deps';
import { logFields, recordInfo } from './record-info';
import type { Middleware } from './record-job';

/**
 * In-process retries: a few quick attempts with exponential backoff and full jitter, for the
 * blips (a timeout, a deadlock) that pass in milliseconds. The partition waits meanwhile, with
 * heartbeats. A permanent failure is passed on at once; exhaustion is passed on as
 * RetriesExhaustedError for the dead-letter step to route.
 */
export function retryMiddleware(deps: PipelineDeps): Middleware {
  const { retryPolicy: policy, logger, hooks, groupId } = deps;
  return async (job, next) => {
    for (let attempt = 1; ; attempt += 1) {
      job.attempts = job.attemptsBefore + attempt;
      try {
        const earlier = attempt === 1 ? job.laneFailure : undefined;
        if (earlier) {
          // Counted once: a later in-place round starts afresh.
          job.laneFailure = undefined;
          throw earlier.error;
        }
        return await next();
      } catch (error) {
        const failure = describeError(error);
        fireHook(hooks, 'onFailed', recordInfo(job, groupId, deps.now(), { error }), logger);
        logger.warn('handler attempt failed', { ...logFields(job), errorCode: failure.code, errorClass: failure.errorClass, error: failure.message });
        if (!isRetriable(error)) throw error;
        // After close() began a retriable failure is not counted against the record: it is left
        // unacknowledged for the next run rather than spending its last attempt on a retry topic.
        if (deps.shutdown.aborted) throw new ShutdownInterruptedError();
        if (attempt >= policy.attempts) throw new RetriesExhaustedError(error);
        const delay = backoffDelayMs(policy, attempt);
        fireHook(hooks, 'onRetried', recordInfo(job, groupId, deps.now(), { reason: 'in-process', error }), logger);
        await waitWithHeartbeats(delay, job.heartbeat, deps.shutdown);
      }
    }
  };
}
