import { Command } from 'commander';
import { allTopics } from '@platform/contracts';
import { OpsConfig } from '../../config';
import { withAdmin } from '../../kafka-admin';
import { applyTopicChanges, observeTopics } from '../../topics/cluster-topics';
import { describeChange, planTopics } from '../../topics/topic-plan';
import { ExitCode, Output } from '../../output';

export function topicsApplyCommand(config: () => OpsConfig, out: Output): Command {
  return new Command('apply')
    .description('create or update every topic the contracts lib declares (partitions, retention, cleanup policy)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--execute', 'apply the plan (required unless --dry-run)')
    .action(async (options: { dryRun?: boolean; execute?: boolean }) => {
      if (!options.dryRun && !options.execute) {
        out.fail(ExitCode.Usage, 'topics apply changes the cluster: pass --dry-run to see the plan or --execute to apply it');
        return;
      }
      const declared = allTopics();
      const plan = await withAdmin(config().kafka, async (admin) => {
        const changes = planTopics(declared, await observeTopics(admin, declared));
        if (options.execute) await applyTopicChanges(admin, changes);
        return changes;
      });
      out.result(
        { declared: declared.length, changes: plan.map((c) => ({ kind: c.kind, topic: c.topic.name, line: describeChange(c) })), applied: !!options.execute },
        () =>
          [
            ...plan.map(describeChange),
            `${plan.length === 0 ? 'no changes' : `${plan.length} change(s)`} for ${declared.length} declared topics${options.execute ? ' (applied)' : ' (dry run)'}`,
          ].join('\n'),
      );
    });
}
