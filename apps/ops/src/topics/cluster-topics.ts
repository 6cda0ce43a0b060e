import { Admin, ConfigResourceTypes } from 'kafkajs';
import type { TopicDeclaration } from '@platform/contracts';
import { ObservedTopic, TopicChange, managedConfigs } from './topic-plan';

/** Reads partitions and the managed configs of the declared topics that exist, in two requests. */
export async function observeTopics(admin: Admin, declared: readonly TopicDeclaration[]): Promise<Map<string, ObservedTopic>> {
  const existing = new Set(await admin.listTopics());
  const names = declared.map((t) => t.name).filter((name) => existing.has(name));
  const observed = new Map<string, ObservedTopic>();
  if (names.length === 0) return observed;
  const metadata = await admin.fetchTopicMetadata({ topics: names });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'cleanup.policy'] })),
  });
  for (const topic of metadata.topics) {
    const resource = described.resources.find((r) => r.resourceName === topic.name);
    const configs = Object.fromEntries((resource?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
    observed.set(topic.name, { name: topic.name, partitions: topic.partitions.length, configs });
  }
  return observed;
}

export async function applyTopicChanges(admin: Admin, changes: readonly TopicChange[]): Promise<void> {
  const creates = changes.flatMap((c) => (c.kind === 'create' ? [c.topic] : []));
  if (creates.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: creates.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        configEntries: Object.entries(managedConfigs(t)).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const grows = changes.flatMap((c) => (c.kind === 'add-partitions' ? [{ topic: c.topic.name, count: c.to }] : []));
  if (grows.length > 0) await admin.createPartitions({ topicPartitions: grows });
  const alters = changes.flatMap((c) => (c.kind === 'alter-configs' ? [c.topic] : []));
  if (alters.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: alters.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configEntries: Object.entries(managedConfigs(t)).map(([name, value]) => ({ name, value })),
      })),
    });
  }
}
