import { Command } from 'commander';
import { consumerTopics } from '@platform/contracts';
import { findConsumer } from '../../catalog';
import { withAdmin } from '../../kafka-admin';
import type { OpsContext } from '../../ops-context';
import { GroupReport, GroupToReport, groupReports } from '../../groups/group-report';
import { READER_GROUP_PREFIX } from '../../reading/range-reader';
import { count, formatTable } from '../../table';

interface GroupsOptions {
  all?: boolean;
}

export function groupsCommand(ctx: OpsContext): Command {
  return new Command('groups')
    .description("each consumer group's state, members and lag per partition (the declared consumers; --all for every group)")
    .argument('[consumer]', 'only this declared consumer')
    .option('--all', 'every group on the cluster, replay progress groups included')
    .action(async (name: string | undefined, options: GroupsOptions) => {
      const declared = name ? [findConsumer(ctx.catalog, name)] : ctx.catalog.consumers;
      const reports = await withAdmin(ctx.kafka(), async (admin) => {
        const groups: GroupToReport[] = declared.map((consumer) => ({
          groupId: consumer.groupId,
          consumer: consumer.name,
          topics: consumerTopics(consumer),
        }));
        if (options.all && !name) {
          const known = new Set(declared.map((c) => c.groupId));
          const { groups: listed } = await admin.listGroups();
          const others = listed.map((g) => g.groupId).filter((id) => !known.has(id) && !id.startsWith(READER_GROUP_PREFIX)).sort();
          groups.push(...others.map((groupId) => ({ groupId })));
        }
        return groupReports(admin, groups);
      });
      ctx.out.result({ groups: reports }, () => reports.map(render).join('\n\n'));
    });
}

function render(report: GroupReport): string {
  const neverRan = report.state === 'Dead' && report.partitions.every((p) => p.committed === undefined);
  const state = neverRan ? 'no such group (never started, or its offsets expired)' : report.state;
  const title = `${report.consumer ? `${report.consumer} (group ${report.groupId})` : report.groupId}: ${state}, ${report.members.length} member(s), total lag ${count(report.totalLag)}`;
  const members = report.members.map((m) => `  member ${m.clientId}${m.host} (${m.partitions} partition(s))`);
  const table = formatTable(
    ['topic', 'partition', 'committed', 'end', 'lag', 'owner'],
    report.partitions.map((p) => [p.topic, String(p.partition), p.committed ?? '-', p.end, count(p.lag), p.owner ?? '-']),
    [1, 2, 3, 4],
  );
  return [title, ...members, table.replace(/^/gm, '  ')].join('\n');
}
