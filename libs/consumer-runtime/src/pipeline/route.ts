import type { PipelineDeps } from './pipeline-deps';
import type { Middleware } from './record-job';

/**
 * Finds the app's handler for the event type. A type this app does not handle is acknowledged and
 * skipped before validation: one topic carries many types, and a consumer must not dead-letter
 * events it never meant to read just because it cannot vouch for them.
 */
export function routeMiddleware(deps: PipelineDeps): Middleware {
  return async (job, next) => {
    const envelope = job.envelope!;
    job.handler = deps.router.handlerFor(envelope.type);
    if (job.handler) return next();
    if (job.route.stage > 0 && job.key !== null) {
      // Its handler was removed since it was parked: it no longer holds anything up.
      await deps.parked.release({ groupId: deps.groupId, sourceTopic: job.route.sourceTopic, partition: job.origin.partition, offset: job.origin.offset });
    }
    return { kind: 'ignored', reason: 'no-handler' };
  };
}
