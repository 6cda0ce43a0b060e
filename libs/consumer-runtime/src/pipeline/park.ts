import type { PoolClient } from 'pg';
import type { PipelineDeps } from './pipeline-deps';
import { logFields } from './record-info';
import type { Middleware, Outcome, RecordJob } from './record-job';

/**
 * Per-key order while a key has an event in the retry topics (mode `park` only).
 *
 * From a source topic: if an earlier record of the key is parked, this one must not overtake it,
 * so it is parked too: a row in parked_keys, then a copy to retry topic 1 marked x-parked-behind.
 *
 * From retry topic n: a record runs only when it is the oldest parked record of its key (the
 * head). A follower whose head is still ahead is moved on to retry topic n+1, where the head
 * already is, so it stays behind it. Every record of a key passes the retry topics in source
 * order, so at the last stage a follower's head has been processed or dead-lettered; a row still
 * there is stale and is dropped rather than blocking the key forever.
 *
 * The record's own row is deleted in the inbox transaction that records it as processed.
 */
export function parkMiddleware(deps: PipelineDeps): Middleware {
  return async (job, next) => {
    if (job.key === null) return next();
    const self = { groupId: deps.groupId, sourceTopic: job.route.sourceTopic, partition: job.origin.partition, offset: job.origin.offset };
    const head = await deps.parked.head(deps.groupId, job.route.sourceTopic, job.key);
    const isOwnRow = head !== undefined && head.partition === self.partition && head.offset === self.offset;
    const headIsEarlier = head !== undefined && !isOwnRow && BigInt(head.offset) < BigInt(self.offset);

    if (job.route.stage === 0) {
      if (!head) return next();
      return park(deps, job, 1, `${head.partition}:${head.offset}`);
    }
    if (headIsEarlier) {
      if (job.route.stage < deps.routes.lastStage) return park(deps, job, job.route.stage + 1, `${head.partition}:${head.offset}`);
      const dropped = await deps.parked.releaseOlderThan(deps.groupId, job.route.sourceTopic, job.key, self.offset);
      deps.logger.warn('released a parked event whose predecessors left stale parked_keys rows', { ...logFields(job), droppedRows: dropped });
    }
    if (head !== undefined) job.inTransaction.push((client: PoolClient) => deps.parked.release(self, client));
    return next();
  };
}

async function park(deps: PipelineDeps, job: RecordJob, stage: number, behind: string): Promise<Outcome> {
  const destination = deps.routes.retryTopic(job.route.sourceTopic, stage);
  await deps.parked.park({
    groupId: deps.groupId,
    sourceTopic: job.route.sourceTopic,
    key: job.key!,
    partition: job.origin.partition,
    offset: job.origin.offset,
    eventId: job.envelope?.id,
  });
  const retryNotBefore = new Date(deps.now() + deps.routes.delayOf(stage));
  await deps.forwarder.forward(job, destination, { retryNotBefore, parkedBehind: behind });
  return { kind: 'parked', destination };
}
