import { isRetriable } from '@platform/contracts';
import { FailureForwardError, RetriesExhaustedError, ShutdownInterruptedError } from '../errors/runtime-errors';
import { fireHook } from '../hooks/runtime-hooks';
import { waitWithHeartbeats } from '../retry/wait';
import type { PipelineDeps } from './pipeline-deps';
import { logFields, recordInfo } from './record-info';
import type { Middleware, Outcome, RecordJob } from './record-job';

/**
 * Where a failed record goes next.
 * - Permanent failures (bad bytes, bad schema, PermanentError): the dead-letter topic, at once.
 * - In-process retries exhausted: the next retry topic (mode `park`) or the next delay waited out
 *   in place (mode `strict-in-place`); after the last retry stage, the dead-letter topic.
 * - Anything else (the runtime's own broker or database trouble): rethrown, so the offset is not
 *   committed and kafkajs redelivers the record.
 * The forward is acknowledged before this returns, and only then is the source offset resolved.
 */
export function deadLetterMiddleware(deps: PipelineDeps): Middleware {
  const { routes } = deps;
  return async (job, next) => {
    let stage = job.route.stage;
    for (;;) {
      try {
        return await next();
      } catch (error) {
        if (error instanceof ShutdownInterruptedError) throw error;
        if (error instanceof RetriesExhaustedError) {
          const nextStage = stage + 1;
          if (nextStage > routes.lastStage) return deadLetter(deps, job, error);
          if (deps.ordering === 'strict-in-place') {
            await waitInPlace(deps, job, nextStage, error);
            stage = nextStage;
            continue;
          }
          return toRetryTopic(deps, job, nextStage, error);
        }
        if (!isRetriable(error)) return deadLetter(deps, job, error);
        throw error;
      }
    }
  };
}

async function toRetryTopic(deps: PipelineDeps, job: RecordJob, stage: number, error: unknown): Promise<Outcome> {
  const destination = deps.routes.retryTopic(job.route.sourceTopic, stage);
  if (deps.ordering === 'park' && job.key !== null) {
    // Recorded before the send: if the send fails the row is harmless (the record comes back and
    // parks under the same row); the reverse order could let a later record overtake this one.
    await deps.parked.park({
      groupId: deps.groupId,
      sourceTopic: job.route.sourceTopic,
      key: job.key,
      partition: job.origin.partition,
      offset: job.origin.offset,
      eventId: job.envelope?.id,
    });
  }
  const retryNotBefore = new Date(deps.now() + deps.routes.delayOf(stage));
  await deps.forwarder.forward(job, destination, { error, retryNotBefore });
  return { kind: 'retried', destination, error };
}

/** How long a partition whose dead-letter write failed stays paused before its record is tried again. */
export const DEAD_LETTER_RETRY_DELAY_MS = 5_000;

async function deadLetter(deps: PipelineDeps, job: RecordJob, error: unknown): Promise<Outcome> {
  const destination = deps.routes.deadLetterTopic(job.route.sourceTopic);
  try {
    await deps.forwarder.forward(job, destination, { error });
  } catch (writeError) {
    if (!(writeError instanceof FailureForwardError)) throw writeError;
    return holdAfterFailedDeadLetter(deps, job, destination, writeError);
  }
  if (job.key !== null) {
    // After the acknowledged write: the key is released only once its blocker is safely stored.
    await deps.parked.release({ groupId: deps.groupId, sourceTopic: job.route.sourceTopic, partition: job.origin.partition, offset: job.origin.offset });
  }
  return { kind: 'dead-lettered', destination, error };
}

async function waitInPlace(deps: PipelineDeps, job: RecordJob, stage: number, error: unknown): Promise<void> {
  const delay = deps.routes.delayOf(stage);
  deps.logger.warn('retrying in place after a delay', { ...logFields(job), retryStage: stage, delayMs: delay });
  fireHook(deps.hooks, 'onRetried', recordInfo(job, deps.groupId, deps.now(), { reason: 'in-place', error }), deps.logger);
  await waitWithHeartbeats(delay, job.heartbeat, deps.shutdown);
  job.attemptsBefore = job.attempts;
}

/**
 * The producer gave up on the dead-letter write (after its bounded retries). The record must not
 * be skipped, so its offset stays unresolved and only its partition waits: paused, then resumed
 * by a timer, when the record is fetched again from its offset and goes through the chain anew.
 * Throwing instead would make kafkajs restart the whole consumer, stalling every partition.
 */
function holdAfterFailedDeadLetter(deps: PipelineDeps, job: RecordJob, destination: string, writeError: FailureForwardError): Outcome {
  const resume = job.pausePartition();
  deps.schedule(DEAD_LETTER_RETRY_DELAY_MS, resume);
  deps.logger.error('dead-letter write failed; partition paused, the record will be tried again', {
    ...logFields(job),
    destination,
    retryInMs: DEAD_LETTER_RETRY_DELAY_MS,
    error: writeError.message,
  });
  fireHook(deps.hooks, 'onDeadLetterFailed', recordInfo(job, deps.groupId, deps.now(), { destination, error: writeError }), deps.logger);
  return { kind: 'deferred', dueAt: deps.now() + DEAD_LETTER_RETRY_DELAY_MS };
}
