import { Command } from 'commander';
import { AuditTrail } from '../../audit/audit-trail';
import { describeAudit } from '../../audit/audit-record';
import { deadLetterTopics, findConsumer } from '../../catalog';
import { UsageError } from '../../errors';
import { withAdmin } from '../../kafka-admin';
import type { OpsContext } from '../../ops-context';
import { assertTopicsExist, offsetsAtTime, watermarks } from '../../reading/topic-offsets';
import { NotConfirmedError, confirmOnTerminal, interactive, mutationIntent } from '../../safety/confirmation';
import { count, formatTable } from '../../table';
import { parseTime } from '../../time/time-spec';

interface PurgeOptions {
  before: string;
  confirm?: string;
  dryRun?: boolean;
  execute?: boolean;
}

interface PurgeCut {
  topic: string;
  partition: number;
  /** The log start now. */
  from: string;
  /** The new log start: the first record at or after --before. */
  to: string;
  records: number;
}

export function dltPurgeCommand(ctx: OpsContext): Command {
  return new Command('purge')
    .description(
      "delete a consumer's dead letters older than a time, for good (Kafka moves each partition's log start; it cannot delete single records). " +
        'Needs --execute and the consumer name typed back: --confirm <consumer> or at the prompt',
    )
    .argument('<consumer>', 'a declared consumer, e.g. welcome-email')
    .requiredOption('--before <time>', 'delete dead letters dead-lettered before this: ISO 8601 time or a duration ago (7d)')
    .option('--confirm <consumer>', 'the consumer name again, to confirm without a prompt (automation)')
    .option('--dry-run', 'show per partition what would be deleted; delete nothing')
    .option('--execute', 'delete (also needs the confirmation)')
    .action(async (name: string, options: PurgeOptions) => {
      const consumer = findConsumer(ctx.catalog, name);
      const intent = mutationIntent(options, ctx.out, 'dlt purge');
      // Deleting for good takes the consumer's name typed back, on the command line or at the prompt.
      if (options.confirm !== undefined && options.confirm !== consumer.name) throw new UsageError(`--confirm ${options.confirm} does not name the consumer being purged (${consumer.name})`);
      if (intent !== 'dry-run' && options.confirm === undefined && !interactive(ctx.out)) throw new UsageError(`dlt purge deletes for good: confirm with --confirm ${consumer.name}`);
      const before = parseTime(options.before, '--before', ctx.now());
      const kafka = ctx.kafka();
      const topics = deadLetterTopics(consumer);
      const cuts = await withAdmin(kafka, async (admin) => {
        await assertTopicsExist(admin, topics);
        const all: PurgeCut[] = [];
        for (const topic of topics) {
          const at = await offsetsAtTime(admin, topic, before);
          for (const w of await watermarks(admin, topic)) {
            const cut = at.get(w.partition) ?? w.low;
            const to = cut > w.low ? cut : w.low;
            all.push({ topic, partition: w.partition, from: w.low.toString(), to: to.toString(), records: Number(to - w.low) });
          }
        }
        return all;
      });
      const total = cuts.reduce((sum, c) => sum + c.records, 0);
      const table = () =>
        formatTable(
          ['topic', 'partition', 'log start now', 'new log start', 'records deleted'],
          cuts.map((c) => [c.topic, String(c.partition), c.from, c.to, count(c.records)]),
          [1, 2, 3, 4],
        );
      const beforeIso = new Date(before).toISOString();
      if (intent === 'dry-run' || total === 0) {
        ctx.out.result({ dryRun: intent === 'dry-run', consumer: consumer.name, before: beforeIso, partitions: cuts, records: total, purged: false }, () =>
          [table(), `${count(total)} dead letter(s) of ${consumer.name} older than ${beforeIso} ${intent === 'dry-run' ? 'would be deleted (dry run)' : '— nothing to delete'}`].join('\n'),
        );
        return;
      }
      if (!(intent === 'execute' && options.confirm !== undefined)) {
        ctx.out.note(table());
        if (!(await confirmOnTerminal(`Delete ${count(total)} dead letter(s) of ${consumer.name} for good?`, consumer.name))) throw new NotConfirmedError();
      }

      const audit = await AuditTrail.open(ctx, { command: 'dlt purge', consumer: consumer.name, options: { before: options.before, beforeResolved: beforeIso } });
      try {
        await audit.started({ records: total });
        await withAdmin(kafka, async (admin) => {
          for (const topic of topics) {
            const partitions = cuts.filter((c) => c.topic === topic && c.records > 0).map((c) => ({ partition: c.partition, offset: c.to }));
            if (partitions.length === 0) continue;
            // kafkajs finds the partition leaders in its metadata cache, which this loads.
            await admin.fetchTopicMetadata({ topics: [topic] });
            await admin.deleteTopicRecords({ topic, partitions });
          }
        });
        const finished = await audit.finished('ok', { records: total });
        ctx.out.result({ dryRun: false, consumer: consumer.name, before: beforeIso, partitions: cuts, records: total, purged: true, audit: audit.records }, () =>
          [table(), `deleted ${count(total)} dead letter(s) of ${consumer.name} older than ${beforeIso}`, describeAudit(finished)].join('\n'),
        );
      } catch (error) {
        await audit.finished('failed', { records: total }, error).catch(() => undefined);
        throw error;
      } finally {
        await audit.close();
      }
    });
}
