import { CONSUMERS, ConsumerDeclaration, OpsTopic, deadLetterTopicName, retryTopicName } from '@platform/contracts';
import { UsageError } from './errors';

/**
 * What the CLI operates on: the declared consumers and the audit topic. Production uses the
 * contracts' declarations; tests and benches pass throwaway ones so they never touch the shared
 * topics. Every topic name the commands use is derived from here.
 */
export interface OpsCatalog {
  readonly consumers: readonly ConsumerDeclaration[];
  readonly auditTopic: string;
}

export function platformCatalog(): OpsCatalog {
  return { consumers: CONSUMERS, auditTopic: OpsTopic.Audit };
}

export function findConsumer(catalog: OpsCatalog, name: string): ConsumerDeclaration {
  const found = catalog.consumers.find((c) => c.name === name);
  if (!found) throw new UsageError(`unknown consumer "${name}"; declared consumers: ${catalog.consumers.map((c) => c.name).join(', ')}`);
  return found;
}

/** One topic a consumer reads, with the topics derived from it for that consumer. */
export interface ConsumerLane {
  readonly sourceTopic: string;
  readonly deadLetterTopic: string;
  /** Where a replay for this consumer alone goes: its first retry topic, read by its group only. */
  readonly replayTopic: string;
}

export function consumerLanes(consumer: ConsumerDeclaration): ConsumerLane[] {
  if (consumer.retryDelaysMs.length === 0) {
    // Without a retry topic there is no topic only this group reads: replaying would need the
    // shared source topic, which reaches every consumer.
    throw new UsageError(`consumer ${consumer.name} has no retry topics, so nothing can be replayed to it alone`);
  }
  return consumer.topics.map((sourceTopic) => ({
    sourceTopic,
    deadLetterTopic: deadLetterTopicName(sourceTopic, consumer.groupId),
    replayTopic: retryTopicName(sourceTopic, consumer.groupId, 1),
  }));
}

export function deadLetterTopics(consumer: ConsumerDeclaration): string[] {
  return consumer.topics.map((sourceTopic) => deadLetterTopicName(sourceTopic, consumer.groupId));
}
