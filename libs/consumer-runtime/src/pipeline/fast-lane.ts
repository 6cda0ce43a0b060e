import { assertEventData, decodeRecord } from '@platform/contracts';
import { assertNoConflictingAttributes } from './conflicting-headers';
import { IgnoreReason, fireHook } from '../hooks/runtime-hooks';
import type { InboxBatch } from '../inbox/inbox-batch';
import { inboxClaimId } from './inbox';
import type { PipelineDeps } from './pipeline-deps';
import { HANDLER_HEARTBEAT_MS, eventContextFor } from './invoke-handler';
import { recordInfo } from './record-info';
import type { RecordJob } from './record-job';

/** A run is cut so a crash repeats at most about this much handler work (see docs, "Fast lane"). */
export const RUN_TARGET_MS = 50;
/** Default upper bound of records per run: one round trip and one COMMIT for up to this many events. */
export const MAX_RUN_RECORDS = 500;
/** A run's first size, before anything is known about the handlers' speed. */
const FIRST_RUN_RECORDS = 16;
/** Weight of the newest run in the handler-time average. */
const EWMA_WEIGHT = 0.3;

export interface LaneResult {
  /** Records at the head of the run that are settled: their offsets may be resolved. */
  readonly settled: number;
  /**
   * What comes next: `lane`, the following records can try the lane again (the run was done or
   * its time was up); `alone`, the record after the settled ones goes through the record pipeline
   * (the lane does not take it, or its handler failed here, which its job now carries); `stop`,
   * shutdown began or the batch went stale, so nothing more starts.
   */
  readonly next: 'lane' | 'alone' | 'stop';
}

/**
 * The common case in bulk. A run of source-topic records that decode, validate, have a handler
 * and are not held behind a parked key needs none of the per-record machinery: one round trip
 * to PostgreSQL checks their keys for parked events and claims their event ids, their handlers
 * are called in order, and one COMMIT records them. The first record that is anything else ends
 * the run and goes through the record pipeline alone, which is where every failure is handled;
 * a handler that fails here hands its record over with the attempt counted.
 *
 * Outcomes and hooks are the same as the pipeline's; only the inbox transaction is shared.
 */
export class FastLane {
  private handlerMs = 0;
  private measured = false;

  constructor(
    private readonly deps: PipelineDeps,
    /** At most this many records share one commit; 1 commits after every handler. */
    private readonly maxRecords: number = MAX_RUN_RECORDS,
  ) {}

  /** How many records the next run should take, so it lasts about RUN_TARGET_MS. */
  runSize(): number {
    if (!this.measured) return Math.min(FIRST_RUN_RECORDS, this.maxRecords);
    if (this.handlerMs <= 0) return this.maxRecords;
    return Math.max(1, Math.min(this.maxRecords, Math.floor(RUN_TARGET_MS / this.handlerMs)));
  }

  /** `jobs` are consecutive records of one source partition; `alive` is false once the batch is stale or stopping. */
  async run(jobs: readonly RecordJob[], alive: () => boolean): Promise<LaneResult> {
    const { deps } = this;
    let size = 0;
    while (size < jobs.length && this.admit(jobs[size])) size += 1;
    if (size === 0) return { settled: 0, next: 'alone' };
    const run = jobs.slice(0, size);
    // Records with a handler claim their event id; the others are skipped (no-handler) as they are.
    const claimOf = run.map(() => -1);
    const claimed: RecordJob[] = [];
    run.forEach((job, index) => {
      if (job.handler) claimOf[index] = claimed.push(job) - 1;
    });
    if (claimed.length === 0) {
      this.report(run, size, claimOf, undefined);
      return { settled: size, next: size < jobs.length ? 'alone' : 'lane' };
    }

    const batch = await deps.inbox.openBatch({
      groupId: deps.groupId,
      sourceTopic: run[0].route.sourceTopic,
      // The same claim id as the record pipeline's inbox step, so the two dedupe against each other.
      entries: claimed.map((job) => ({ eventId: inboxClaimId(job), eventType: job.envelope!.type })),
      keysToCheck: deps.ordering === 'park' ? [...new Set(claimed.flatMap((job) => (job.key === null ? [] : [job.key])))] : [],
    });
    // A record whose key waits behind an event in the retry topics ends the run: alone, it parks.
    let end = run.findIndex((job) => job.handler !== undefined && job.key !== null && batch.parkedKeys.has(job.key));
    if (end === -1) end = size;

    const heartbeat = run[0].heartbeat;
    const ticker = setInterval(() => heartbeat().catch(() => undefined), HANDLER_HEARTBEAT_MS);
    const started = deps.now();
    let done = 0;
    let handlerTime = 0;
    let handlerCalls = 0;
    let failure: { error: unknown } | undefined;
    let stopped = false;
    let yielded = false;
    try {
      for (; done < end; done += 1) {
        const job = run[done];
        if (claimOf[done] === -1 || !batch.holdsClaim(claimOf[done])) continue;
        // Nothing new starts once close() began or the partition moved away.
        stopped = deps.shutdown.aborted || !alive();
        // A run that outlasts its time yields, so its commit is not held back by a slow handler.
        yielded = done > 0 && deps.now() - started > 2 * RUN_TARGET_MS;
        if (stopped || yielded) break;
        job.attempts = job.attemptsBefore + 1;
        const handlerStarted = deps.now();
        try {
          await deps.invoke(job.handler!, job.envelope!, eventContextFor(job, deps.groupId));
        } catch (error) {
          failure = { error };
          break;
        } finally {
          handlerTime += deps.now() - handlerStarted;
          handlerCalls += 1;
        }
      }
      await batch.commit(claimsBefore(claimOf, done));
    } catch (error) {
      await batch.abort(error);
      throw error;
    } finally {
      clearInterval(ticker);
    }

    this.learn(handlerTime, handlerCalls);
    this.report(run, done, claimOf, batch);
    if (failure) {
      run[done].laneFailure = failure;
      return { settled: done, next: 'alone' };
    }
    if (stopped) return { settled: done, next: 'stop' };
    if (yielded || done === jobs.length) return { settled: done, next: 'lane' };
    return { settled: done, next: 'alone' };
  }

  /** Decodes, routes and validates; false for anything the record pipeline must see to itself. */
  private admit(job: RecordJob): boolean {
    if (job.route.stage !== 0) return false;
    try {
      assertNoConflictingAttributes(job.message.headers);
      const envelope = decodeRecord({ key: job.key, value: job.message.value, headers: job.headers });
      job.envelope = envelope;
      job.handler = this.deps.router.handlerFor(envelope.type);
      if (job.handler) assertEventData(envelope.type, envelope.data);
      return true;
    } catch {
      job.envelope = undefined;
      job.handler = undefined;
      return false;
    }
  }

  private learn(handlerTime: number, calls: number): void {
    if (calls === 0) return;
    const perCall = handlerTime / calls;
    this.handlerMs = this.measured ? this.handlerMs + EWMA_WEIGHT * (perCall - this.handlerMs) : perCall;
    this.measured = true;
  }

  private report(run: readonly RecordJob[], done: number, claimOf: readonly number[], batch: InboxBatch | undefined): void {
    const { hooks, logger, groupId } = this.deps;
    const now = this.deps.now();
    for (let i = 0; i < done; i += 1) {
      const job = run[i];
      const claim = claimOf[i];
      const reason: IgnoreReason | undefined = claim === -1 ? 'no-handler' : batch?.holdsClaim(claim) ? undefined : 'duplicate';
      const hook = reason ? 'onIgnored' : 'onProcessed';
      // The payload is built only for a hook that is there: this loop runs for every event.
      if (hooks[hook]) fireHook(hooks, hook, recordInfo(job, groupId, now, reason ? { reason } : {}), logger);
    }
    if (done > 0) logger.debug('events settled in the fast lane', { topic: run[0].route.topic, partition: run[0].partition, from: run[0].message.offset, count: done });
  }
}

/** Claims of the records before `done`: the ones the commit keeps. */
function claimsBefore(claimOf: readonly number[], done: number): number {
  let count = 0;
  for (let i = 0; i < done; i += 1) if (claimOf[i] !== -1) count += 1;
  return count;
}
