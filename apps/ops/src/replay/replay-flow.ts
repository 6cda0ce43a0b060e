import type { ConsumerDeclaration } from '@platform/contracts';
import type { Admin, IHeaders, KafkaMessage } from 'kafkajs';
import { AuditTrail } from '../audit/audit-trail';
import { describeAudit } from '../audit/audit-record';
import { OpsError } from '../errors';
import { withAdmin } from '../kafka-admin';
import type { OpsContext } from '../ops-context';
import { ExitCode } from '../output';
import { PartitionRange, partitionKey, rangeSize, totalSize } from '../reading/partition-range';
import { Watermarks, assertTopicsExist, watermarks } from '../reading/topic-offsets';
import type { RecordFilter } from '../records/record-filter';
import { Intent, NotConfirmedError, confirmOnTerminal } from '../safety/confirmation';
import { count, formatTable } from '../table';
import { ProgressBar } from './progress-bar';
import { ReplayCounts, emptyCounts } from './replay-counts';
import { ReplayJob, ReplayKind, newRunId, replayJob } from './replay-job';
import { ReplayPlan, planReplay } from './replay-plan';
import { progressMetadata, readProgress } from './replay-progress';
import { ReplayPublisher } from './replay-publisher';
import { ReplayOutcome, countReplay, runReplay } from './replay-run';

/** Everything `dlt replay` and `topic replay` differ in; the flow around it is the same. */
export interface ReplayRequest {
  readonly kind: ReplayKind;
  readonly command: string;
  readonly consumer: ConsumerDeclaration;
  /** The options as typed, for the audit log and the output. */
  readonly options: Readonly<Record<string, unknown>>;
  /** What makes this replay this replay (see ReplayJob). */
  readonly selection: Readonly<Record<string, unknown>>;
  /** Input topic → the consumer's topic its records are replayed to. */
  readonly destinations: ReadonlyMap<string, string>;
  /** Where a fresh run starts and ends, per input partition, given the watermarks now. */
  readonly initialRanges: (admin: Admin, now: ReadonlyMap<string, Watermarks[]>) => Promise<PartitionRange[]>;
  readonly filter: RecordFilter;
  /** True when no filter is set, so a dry run can count from offsets without reading. */
  readonly unfiltered: boolean;
  readonly maxReplays?: number;
  readonly limit?: number;
  readonly ratePerSecond?: number;
  readonly restart: boolean;
  readonly headersFor: (run: string) => (message: KafkaMessage, topic: string, partition: number) => IHeaders;
}

interface Prepared {
  readonly job: ReplayJob;
  readonly plan: ReplayPlan;
}

export async function performReplay(ctx: OpsContext, request: ReplayRequest, intent: Intent): Promise<void> {
  if (intent === 'dry-run') return dryRun(ctx, request);
  if (intent === 'ask') {
    await dryRun(ctx, request);
    if (!(await confirmOnTerminal(`Replay these records to ${request.consumer.name}?`, 'yes'))) throw new NotConfirmedError();
  }
  return execute(ctx, request);
}

async function prepare(ctx: OpsContext, request: ReplayRequest, admin: Admin): Promise<Prepared> {
  const job = replayJob(request.kind, request.consumer, request.selection);
  const inputs = [...request.destinations.keys()];
  await assertTopicsExist(admin, [...inputs, ...request.destinations.values()]);
  const marks = new Map<string, Watermarks[]>();
  for (const topic of inputs) marks.set(topic, await watermarks(admin, topic));
  const now = new Map<string, { low: bigint; high: bigint }>();
  for (const [topic, list] of marks) for (const w of list) now.set(partitionKey(topic, w.partition), w);
  const initial = await request.initialRanges(admin, marks);
  const saved = await readProgress(admin, job.progressGroup, inputs);
  const plan = planReplay({ kind: request.kind, restart: request.restart, saved, initial, now, newRun: newRunId(ctx.now()) });
  return { job, plan };
}

async function dryRun(ctx: OpsContext, request: ReplayRequest): Promise<void> {
  const { job, plan } = await withAdmin(ctx.kafka(), (admin) => prepare(ctx, request, admin));
  const counted =
    request.unfiltered && request.maxReplays === undefined
      ? new Map(plan.ranges.map((r) => [partitionKey(r.topic, r.partition), { ...emptyCounts(), examined: Number(rangeSize(r)), published: Number(rangeSize(r)) }]))
      : await countReplay(ctx.kafka(), { ranges: plan.ranges, filter: request.filter, destinations: request.destinations, maxReplays: request.maxReplays }, ctx.interrupted);
  const partitions = plan.ranges.map((r) => ({
    topic: r.topic,
    partition: r.partition,
    from: r.start.toString(),
    to: r.end.toString(),
    records: Number(rangeSize(r)),
    ...dryRunCounts(counted.get(partitionKey(r.topic, r.partition)) ?? emptyCounts()),
  }));
  const totals = partitions.reduce((sum, p) => ({ records: sum.records + p.records, wouldPublish: sum.wouldPublish + p.wouldPublish, skipped: sum.skipped + p.skipped, refused: sum.refused + p.refused }), {
    records: 0,
    wouldPublish: 0,
    skipped: 0,
    refused: 0,
  });
  const limited = request.limit === undefined ? totals.wouldPublish : Math.min(request.limit, totals.wouldPublish);
  const result = { dryRun: true, kind: request.kind, consumer: request.consumer.name, job: job.id, progressGroup: job.progressGroup, mode: plan.mode, run: plan.run, destinations: Object.fromEntries(request.destinations), options: request.options, partitions, totals: { ...totals, wouldPublish: limited } };
  ctx.out.result(result, () =>
    [
      `${describeMode(plan, job)} (dry run; nothing published)`,
      ...[...request.destinations].map(([from, to]) => `  ${from} → ${to}`),
      formatTable(
        ['topic', 'partition', 'from', 'to', 'records', 'would publish', 'skipped', 'refused'],
        partitions.map((p) => [p.topic, String(p.partition), p.from, p.to, count(p.records), count(p.wouldPublish), count(p.skipped), count(p.refused)]),
        [1, 2, 3, 4, 5, 6, 7],
      ),
      `${count(limited)} record(s) would be published to ${request.consumer.name} only` +
        (totals.refused > 0 ? `; ${count(totals.refused)} refused by the loop guard (replayed ${request.maxReplays} times already)` : ''),
    ].join('\n'),
  );
}

async function execute(ctx: OpsContext, request: ReplayRequest): Promise<void> {
  const kafka = ctx.kafka();
  const audit = await AuditTrail.open(ctx, { command: request.command, consumer: request.consumer.name, options: request.options });
  let publisher: ReplayPublisher | undefined;
  let outcome: ReplayOutcome | undefined;
  let counts: ReplayCounts = emptyCounts();
  try {
    const job = replayJob(request.kind, request.consumer, request.selection);
    // Fence any other run of this job before reading its progress, so the progress read is final.
    publisher = await ReplayPublisher.open(kafka, job);
    const { plan } = await withAdmin(kafka, (admin) => prepare(ctx, request, admin));
    if (plan.mode === 'complete') {
      ctx.out.result({ kind: request.kind, consumer: request.consumer.name, job: job.id, progressGroup: job.progressGroup, mode: plan.mode, run: plan.run, counts }, () => describeMode(plan, job));
      return;
    }
    audit.update({ replay: { job: job.id, run: plan.run } });
    const total = Number(totalSize(plan.ranges));
    await audit.started({ records: total, mode: plan.mode });
    // The plan is committed before the first record: a run killed at once still resumes as itself.
    for (const range of plan.ranges) publisher.progress(range.topic, range.partition, range.start);
    const ends = new Map(plan.ranges.map((r) => [partitionKey(r.topic, r.partition), r.end]));
    await publisher.commit((topic, partition) => progressMetadata(ends.get(partitionKey(topic, partition))!, plan.run));

    const stream = ctx.out.progressStream();
    const bar = stream ? new ProgressBar(stream, total) : undefined;
    ctx.out.note(`${describeMode(plan, job)}: ${count(total)} record(s) to look at`);
    outcome = await runReplay(kafka, publisher, {
      ranges: plan.ranges,
      filter: request.filter,
      destinations: request.destinations,
      maxReplays: request.maxReplays,
      run: plan.run,
      limit: request.limit,
      ratePerSecond: request.ratePerSecond,
      headersFor: request.headersFor(plan.run),
      signal: ctx.interrupted,
      onProgress: (c) => {
        counts = c;
        bar?.update(c);
      },
    });
    counts = outcome.counts;
    bar?.finish(counts);
    const result = outcome.stoppedBy === 'interrupted' ? 'interrupted' : counts.refused > 0 ? 'refused' : 'ok';
    const finished = await audit.finished(result, { ...counts, stoppedBy: outcome.stoppedBy });
    const exitCode = result === 'interrupted' ? ExitCode.Interrupted : result === 'refused' ? ExitCode.Refused : ExitCode.Ok;
    ctx.out.result(
      {
        kind: request.kind,
        consumer: request.consumer.name,
        job: job.id,
        progressGroup: job.progressGroup,
        mode: plan.mode,
        run: plan.run,
        destinations: Object.fromEntries(request.destinations),
        counts: { ...counts },
        stoppedBy: outcome.stoppedBy,
        seconds: round(outcome.seconds),
        publishRate: round(outcome.publishRate),
        audit: audit.records,
      },
      () => [summary(request, job, plan, outcome!), describeAudit(finished)].join('\n'),
      exitCode,
    );
  } catch (error) {
    await audit.finished('failed', { ...counts }, error).catch(() => undefined);
    if (error instanceof OpsError) throw error;
    throw new OpsError(`replay failed: ${(error as Error).message}; progress up to the last committed record is kept, run the same command again to resume`, ExitCode.Failure);
  } finally {
    await publisher?.close().catch(() => undefined);
    await audit.close().catch(() => undefined);
  }
}

function describeMode(plan: ReplayPlan, job: ReplayJob): string {
  const what = `${job.kind === 'dlt' ? 'dead-letter' : 'topic'} replay to ${job.consumer.name}, job ${job.id}`;
  switch (plan.mode) {
    case 'fresh':
      return `${what}, new run ${plan.run}`;
    case 'resume':
      return `${what}, resuming run ${plan.run}`;
    case 'continue':
      return `${what}, new run ${plan.run} over what arrived since the last run`;
    case 'complete':
      return job.kind === 'topic'
        ? `${what}: run ${plan.run} already covered this range; nothing to do (--restart replays it again)`
        : `${what}: nothing new since run ${plan.run}; nothing to do (--restart replays from the oldest record)`;
  }
}

function summary(request: ReplayRequest, job: ReplayJob, plan: ReplayPlan, outcome: ReplayOutcome): string {
  const { counts } = outcome;
  const how =
    outcome.stoppedBy === 'interrupted'
      ? 'interrupted; run the same command again to resume'
      : outcome.stoppedBy === 'limit'
        ? `stopped at --limit ${request.limit}; run the same command again for the rest`
        : 'complete';
  return [
    `${describeMode(plan, job)}: ${how}`,
    `  published ${count(counts.published)} → ${[...new Set(request.destinations.values())].join(', ')}`,
    `  looked at ${count(counts.examined)}, skipped ${count(counts.skipped)} not matching the filters` +
      (request.maxReplays === undefined ? '' : `, refused ${count(counts.refused)} by the loop guard (replayed ${request.maxReplays} times already)`),
    `  ${outcome.seconds.toFixed(1)} s, ${count(Math.round(outcome.publishRate))} records/s publishing; progress in consumer group ${job.progressGroup}`,
  ].join('\n');
}

function dryRunCounts(counts: ReplayCounts): { wouldPublish: number; skipped: number; refused: number } {
  return { wouldPublish: counts.published, skipped: counts.skipped, refused: counts.refused };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
