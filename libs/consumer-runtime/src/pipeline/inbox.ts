import type { PipelineDeps } from './pipeline-deps';
import type { Middleware, Outcome } from './record-job';

/**
 * Idempotency: the handler runs inside a transaction that claims the event id. A duplicate finds
 * the id taken and is skipped; a failing handler rolls the claim back, so the retry can run.
 */
export function inboxMiddleware(deps: PipelineDeps): Middleware {
  return async (job, next) => {
    const envelope = job.envelope!;
    let outcome: Outcome = { kind: 'processed' };
    const result = await deps.inbox.runOnce(
      { groupId: deps.groupId, eventId: envelope.id, eventType: envelope.type, sourceTopic: job.route.sourceTopic },
      async () => {
        outcome = await next();
      },
      job.inTransaction,
    );
    return result === 'duplicate' ? { kind: 'ignored', reason: 'duplicate' } : outcome;
  };
}
