import { DeadLetterHeader } from '@platform/contracts';
import type { PipelineDeps } from './pipeline-deps';
import type { Middleware, Outcome, RecordJob } from './record-job';

/**
 * Idempotency: the handler runs inside a transaction that claims the event id. A duplicate finds
 * the id taken and is skipped; a failing handler rolls the claim back, so the retry can run.
 */
export function inboxMiddleware(deps: PipelineDeps): Middleware {
  return async (job, next) => {
    const envelope = job.envelope!;
    let outcome: Outcome = { kind: 'processed' };
    const result = await deps.inbox.runOnce(
      { groupId: deps.groupId, eventId: inboxClaimId(job), eventType: envelope.type, sourceTopic: job.route.sourceTopic },
      async () => {
        outcome = await next();
      },
      job.inTransaction,
    );
    return result === 'duplicate' ? { kind: 'ignored', reason: 'duplicate' } : outcome;
  };
}

/**
 * The id the inbox claims: the event id, except for a record `ops topic replay` put on one of
 * this group's retry topics to be handled again. That one claims the event id qualified by the
 * replay run, so the event runs once more per replay while a redelivered copy of the replayed
 * record is still a duplicate. Only on retry topics, which only this runtime and the ops CLI
 * write to: a producer of a source topic cannot switch deduplication off.
 */
export function inboxClaimId(job: Pick<RecordJob, 'envelope' | 'route' | 'headers'>): string {
  const eventId = job.envelope!.id;
  const replayRun = job.route.stage > 0 ? job.headers[DeadLetterHeader.Reprocess] : undefined;
  return replayRun ? `${eventId}#reprocess:${replayRun}` : eventId;
}
