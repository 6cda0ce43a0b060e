import { Admin, AssignerProtocol, GroupDescription } from 'kafkajs';
import { PartitionLag as BrokerPartitionLag, partitionLags } from '@platform/consumer-runtime';
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

/**
 * State, members and lag per partition of one group. `topics` are the topics to report; for a
 * declared consumer that is everything it subscribes to, so a partition it never committed on
 * still shows (with all of it as lag); otherwise the topics the group has offsets for.
 */
export async function groupReport(admin: Admin, groupId: string, topics: readonly string[] | undefined, consumer?: string): Promise<GroupReport> {
  const [description] = (await admin.describeGroups([groupId])).groups;
  const owners = ownersOf(description);
  const existing = new Set(await admin.listTopics());
  // Offsets are asked for by topic: OffsetFetch with no topics answers with none, not all.
  const asked = (topics ?? [...existing]).filter((t) => existing.has(t) && !t.startsWith('__'));
  const partitions: PartitionLag[] = [];
  const lags = await partitionLags(admin, groupId, asked);
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
