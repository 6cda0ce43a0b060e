import { Command } from 'commander';
import { allTopics } from '@platform/contracts';
import { AuditTrail } from '../../audit/audit-trail';
import { describeAudit } from '../../audit/audit-record';
import { withAdmin } from '../../kafka-admin';
import type { OpsContext } from '../../ops-context';
import { UsageError } from '../../errors';
import { applyTopicChanges, observeTopics } from '../../topics/cluster-topics';
import { TopicChange, describeChange, planTopics } from '../../topics/topic-plan';

export function topicsApplyCommand(ctx: OpsContext): Command {
  return new Command('apply')
    .description('create or update every topic the contracts lib declares (partitions, retention, cleanup policy)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--execute', 'apply the plan (required unless --dry-run)')
    .action(async (options: { dryRun?: boolean; execute?: boolean }) => {
      if (!options.dryRun && !options.execute) {
        throw new UsageError('topics apply changes the cluster: pass --dry-run to see the plan or --execute to apply it');
      }
      const declared = allTopics();
      const kafka = ctx.kafka();
      const { plan, auditTopicExisted } = await withAdmin(kafka, async (admin) => ({
        plan: planTopics(declared, await observeTopics(admin, declared)),
        auditTopicExisted: (await admin.listTopics()).includes(ctx.catalog.auditTopic),
      }));
      const changes = plan.filter((c) => c.kind !== 'cannot-shrink');
      let audit: AuditTrail | undefined;
      if (options.execute && changes.length > 0) {
        const subject = { command: 'topics apply', options: { changes: changes.map(describeChange) } };
        // The first apply creates the audit topic itself: its record can only follow the change.
        if (auditTopicExisted) {
          audit = await AuditTrail.open(ctx, subject);
          await audit.started({ changes: changes.length });
        }
        try {
          await withAdmin(kafka, (admin) => applyTopicChanges(admin, plan));
          audit ??= await AuditTrail.open(ctx, subject);
          await audit.finished('ok', { changes: changes.length });
        } catch (error) {
          await audit?.finished('failed', { changes: changes.length }, error).catch(() => undefined);
          throw error;
        } finally {
          await audit?.close();
        }
      }
      ctx.out.result(
        { declared: declared.length, changes: plan.map((c: TopicChange) => ({ kind: c.kind, topic: c.topic.name, line: describeChange(c) })), applied: !!options.execute, audit: audit?.records },
        () =>
          [
            ...plan.map(describeChange),
            `${plan.length === 0 ? 'no changes' : `${plan.length} change(s)`} for ${declared.length} declared topics${options.execute ? ' (applied)' : ' (dry run)'}`,
            ...(audit?.last() ? [describeAudit(audit.last()!)] : []),
          ].join('\n'),
      );
    });
}
