import { Admin, AssignerProtocol, GroupDescription } from 'kafkajs';
import { EndOffsets, PartitionLag as BrokerPartitionLag, partitionLags } from '@platform/consumer-runtime';
import { partitionKey } from '../reading/partition-range';

export interface PartitionLag extends BrokerPartitionLag {
  readonly owner?: string;
}

export interface GroupReport {
  readonly groupId: string;
  /** The declared consumer it belongs to, if any. */
  readonly consumer?: string;
  readonly state: string;
  readonly members: { memberId: string; clientId: string; host: string; partitions: number }[];
  readonly partitions: PartitionLag[];
  readonly totalLag: number;
}

/** A group to report on: its id, and for a declared consumer its name and every topic it reads. */
export interface GroupToReport {
  readonly groupId: string;
  readonly consumer?: string;
  readonly topics?: readonly string[];
}

/**
 * State, members and lag per partition of each group, in the order given. For a declared
 * consumer the topics reported are everything it subscribes to, so a partition it never
 * committed on still shows (with all of it as lag); otherwise the topics the group has offsets
 * for. The cluster is asked once for all the groups' descriptions, once for its topics and once
 * per topic for its ends, however many groups there are; then once per group for its offsets.
 */
export async function groupReports(admin: Admin, groups: readonly GroupToReport[]): Promise<GroupReport[]> {
  if (groups.length === 0) return [];
  const [described, topics] = await Promise.all([admin.describeGroups(groups.map((g) => g.groupId)), admin.listTopics()]);
  const descriptions = new Map(described.groups.map((d) => [d.groupId, d]));
  const existing = new Set(topics);
  const ends = new Map<string, ReturnType<EndOffsets>>();
  const endOffsets: EndOffsets = (topic) => {
    let fetched = ends.get(topic);
    if (!fetched) ends.set(topic, (fetched = admin.fetchTopicOffsets(topic)));
    return fetched;
  };
  const reports: GroupReport[] = [];
  for (const group of groups) reports.push(await groupReport(admin, group, descriptions.get(group.groupId), existing, endOffsets));
  return reports;
}

async function groupReport(admin: Admin, group: GroupToReport, description: GroupDescription | undefined, existing: ReadonlySet<string>, endOffsets: EndOffsets): Promise<GroupReport> {
  const { groupId, consumer, topics } = group;
  if (!description) throw new Error(`the cluster did not describe group ${groupId}`);
  const owners = ownersOf(description);
  // Offsets are asked for by topic: OffsetFetch with no topics answers with none, not all.
  const asked = (topics ?? [...existing]).filter((t) => existing.has(t) && !t.startsWith('__'));
  const partitions: PartitionLag[] = [];
  const lags = await partitionLags(admin, groupId, asked, endOffsets);
  for (const topic of asked) {
    const mine = lags.filter((p) => p.topic === topic);
    // Without a declaration, a topic the group never committed on is not its business.
    if (!topics && mine.every((p) => p.committed === undefined)) continue;
    for (const p of mine) partitions.push({ ...p, owner: owners.get(partitionKey(topic, p.partition)) });
  }
  const members = description.members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.clientHost,
    partitions: [...owners.values()].filter((o) => o === memberName(m)).length,
  }));
  return { groupId, consumer, state: description.state, members, partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0) };
}

function memberName(member: GroupDescription['members'][number]): string {
  return `${member.clientId}${member.clientHost}`;
}

function ownersOf(description: GroupDescription): Map<string, string> {
  const owners = new Map<string, string>();
  for (const member of description.members) {
    if (description.protocolType !== 'consumer' || member.memberAssignment.length === 0) continue;
    try {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      for (const [topic, partitions] of Object.entries(decoded?.assignment ?? {})) {
        for (const partition of partitions) owners.set(partitionKey(topic, partition), memberName(member));
      }
    } catch {
      // An assignment in a format we cannot read: the member shows without partitions.
    }
  }
  return owners;
}
