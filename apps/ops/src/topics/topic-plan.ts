import type { TopicDeclaration } from '@platform/contracts';

/** What the cluster has for one topic, as far as `topics apply` manages it. */
export interface ObservedTopic {
  readonly name: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string | undefined>>;
}

export type TopicChange =
  | { kind: 'create'; topic: TopicDeclaration }
  | { kind: 'add-partitions'; topic: TopicDeclaration; from: number; to: number }
  | { kind: 'alter-configs'; topic: TopicDeclaration; changes: { name: string; from: string | undefined; to: string }[] }
  | { kind: 'cannot-shrink'; topic: TopicDeclaration; from: number; to: number };

export function managedConfigs(topic: TopicDeclaration): Record<string, string> {
  return { 'retention.ms': String(topic.retentionMs), 'cleanup.policy': topic.cleanupPolicy };
}

/**
 * The difference between the declarations and the cluster, computed without touching it, so the
 * dry run and the real run print the same plan. Kafka cannot remove partitions: a declaration
 * with fewer is reported, never "fixed" by deleting the topic.
 */
export function planTopics(declared: readonly TopicDeclaration[], observed: ReadonlyMap<string, ObservedTopic>): TopicChange[] {
  const changes: TopicChange[] = [];
  for (const topic of declared) {
    const current = observed.get(topic.name);
    if (!current) {
      changes.push({ kind: 'create', topic });
      continue;
    }
    if (current.partitions < topic.partitions) {
      changes.push({ kind: 'add-partitions', topic, from: current.partitions, to: topic.partitions });
    } else if (current.partitions > topic.partitions) {
      changes.push({ kind: 'cannot-shrink', topic, from: current.partitions, to: topic.partitions });
    }
    const configChanges = Object.entries(managedConfigs(topic))
      .filter(([name, value]) => current.configs[name] !== value)
      .map(([name, to]) => ({ name, from: current.configs[name], to }));
    if (configChanges.length > 0) changes.push({ kind: 'alter-configs', topic, changes: configChanges });
  }
  return changes;
}

export function describeChange(change: TopicChange): string {
  switch (change.kind) {
    case 'create':
      return `+ create ${change.topic.name} (partitions=${change.topic.partitions}, ${Object.entries(managedConfigs(change.topic)).map(([k, v]) => `${k}=${v}`).join(', ')})`;
    case 'add-partitions':
      return `~ ${change.topic.name}: partitions ${change.from} -> ${change.to}`;
    case 'alter-configs':
      return `~ ${change.topic.name}: ${change.changes.map((c) => `${c.name} ${c.from ?? '(default)'} -> ${c.to}`).join(', ')}`;
    case 'cannot-shrink':
      return `! ${change.topic.name}: has ${change.from} partitions, declared ${change.to}; Kafka cannot remove partitions, left as is`;
  }
}
