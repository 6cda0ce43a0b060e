import { fireHook } from '../hooks/runtime-hooks';
import type { PipelineDeps } from './pipeline-deps';
import { logFields, recordInfo } from './record-info';
import { Middleware, attemptsForReport } from './record-job';
import { describeError } from '../errors/runtime-errors';

/** Outermost: reports each record's final outcome to the hooks and the log, once. */
export function hooksMiddleware(deps: PipelineDeps): Middleware {
  const { hooks, logger, groupId } = deps;
  return async (job, next) => {
    const outcome = await next();
    const now = deps.now();
    switch (outcome.kind) {
      case 'processed':
        logger.debug('event processed', { ...logFields(job), durationMs: now - job.startedAt });
        fireHook(hooks, 'onProcessed', recordInfo(job, groupId, now), logger);
        break;
      case 'ignored':
        logger.debug('event skipped', { ...logFields(job), reason: outcome.reason });
        fireHook(hooks, 'onIgnored', recordInfo(job, groupId, now, { reason: outcome.reason }), logger);
        break;
      case 'retried':
        logger.warn('event sent to retry topic', { ...logFields(job), destination: outcome.destination, errorCode: describeError(outcome.error).code });
        fireHook(hooks, 'onRetried', recordInfo(job, groupId, now, { reason: 'retry-topic', destination: outcome.destination, error: outcome.error }), logger);
        break;
      case 'parked':
        logger.info('event parked behind an earlier event of the same key', { ...logFields(job), destination: outcome.destination });
        fireHook(hooks, 'onRetried', recordInfo(job, groupId, now, { reason: 'parked', destination: outcome.destination }), logger);
        break;
      case 'dead-lettered': {
        const failure = describeError(outcome.error);
        const attempt = attemptsForReport(job);
        logger.error('event dead-lettered', { ...logFields(job), attempt, destination: outcome.destination, errorCode: failure.code, errorClass: failure.errorClass, error: failure.message });
        fireHook(hooks, 'onDeadLettered', recordInfo(job, groupId, now, { attempt, destination: outcome.destination, error: outcome.error }), logger);
        break;
      }
      case 'deferred':
      case 'interrupted':
        // Not an outcome yet: the record comes back and is reported then.
        break;
    }
    return outcome;
  };
}
