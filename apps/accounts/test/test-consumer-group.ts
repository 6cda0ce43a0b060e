import { Kafka } from 'kafkajs';
import { Consumer, ConsumerDeclaration, SOURCE_TOPICS, consumerDeclaration, derivedTopics } from '@platform/contracts';
import { ensureTopics, testKafka, uniqueName } from '@platform/testing';

export interface TestConsumerGroup {
  readonly declaration: ConsumerDeclaration;
  readonly kafka: Kafka;
  remove(): Promise<void>;
}

/**
 * The accounts inbox under a throwaway group id, for tests on the shared broker: the real
 * `accounts` group is left alone. Its retry and dead-letter topics are created (auto-creation
 * is off) and its offsets start at the current end of the source topics, so it sees only what
 * the test produces, not every verdict other suites have published. All removed afterwards.
 */
export async function createTestConsumerGroup(): Promise<TestConsumerGroup> {
  const groupId = uniqueName('accounts-it');
  const declaration: ConsumerDeclaration = { ...consumerDeclaration(Consumer.AccountsInbox), name: groupId, groupId };
  const kafka = testKafka('accounts-it');
  const admin = kafka.admin();
  await admin.connect();
  try {
    // The source topics too: on a fresh broker (CI's) nothing has applied the declarations yet.
    const sources = SOURCE_TOPICS.filter((t) => (declaration.topics as readonly string[]).includes(t.name));
    await ensureTopics(admin, [...sources, ...derivedTopics(declaration)]);
    // Source topics only: the group's own retry topics were just created and are empty. Each
    // setOffsets joins the group once (about 5 s on a fresh group), so fewer is faster.
    for (const topic of declaration.topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId, topic, partitions: ends.map((o) => ({ partition: o.partition, offset: o.high })) });
    }
  } finally {
    await admin.disconnect();
  }
  return {
    declaration,
    kafka,
    async remove() {
      const cleanup = kafka.admin();
      await cleanup.connect();
      try {
        await cleanup.deleteGroups([groupId]).catch(() => undefined);
        await cleanup.deleteTopics({ topics: derivedTopics(declaration).map((t) => t.name) }).catch(() => undefined);
      } finally {
        await cleanup.disconnect();
      }
    },
  };
}
