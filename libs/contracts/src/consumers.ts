import {
  DEAD_LETTER_RETENTION_MS,
  OPS_TOPICS,
  RETRY_RETENTION_MS,
  SOURCE_TOPICS,
  Topic,
  TopicDeclaration,
  TopicName,
  deadLetterTopicName,
  retryTopicName,
} from './topics';

/**
 * A consumer group as the platform knows it. Its retry and dead-letter topics are derived from
 * this declaration, so adding a consumer here is all it takes to get them created.
 */
export interface ConsumerDeclaration {
  readonly name: string;
  readonly groupId: string;
  readonly topics: readonly TopicName[];
  /** Delays of the non-blocking retry topics, in order; their count is the number of retry topics. */
  readonly retryDelaysMs: readonly number[];
}

export const Consumer = {
  WelcomeEmail: 'welcome-email',
  AbuseScan: 'abuse-scan',
  Provisioning: 'provisioning',
  AccountsInbox: 'accounts',
} as const;
export type ConsumerName = (typeof Consumer)[keyof typeof Consumer];

const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000] as const;

export const CONSUMERS: readonly ConsumerDeclaration[] = [
  { name: Consumer.WelcomeEmail, groupId: 'welcome-email', topics: [Topic.AccountLifecycle], retryDelaysMs: DEFAULT_RETRY_DELAYS_MS },
  { name: Consumer.AbuseScan, groupId: 'abuse-scan', topics: [Topic.AccountLifecycle], retryDelaysMs: DEFAULT_RETRY_DELAYS_MS },
  { name: Consumer.Provisioning, groupId: 'provisioning', topics: [Topic.AccountLifecycle], retryDelaysMs: DEFAULT_RETRY_DELAYS_MS },
  {
    name: Consumer.AccountsInbox,
    groupId: 'accounts',
    topics: [Topic.AbuseVerdicts, Topic.ProvisioningResults],
    retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
  },
];

export function consumerDeclaration(name: string): ConsumerDeclaration {
  const found = CONSUMERS.find((c) => c.name === name);
  if (!found) {
    throw new Error(`unknown consumer "${name}"; declared consumers: ${CONSUMERS.map((c) => c.name).join(', ')}`);
  }
  return found;
}

function sourceTopic(name: string): TopicDeclaration {
  const found = SOURCE_TOPICS.find((t) => t.name === name);
  if (!found) throw new Error(`topic "${name}" is not declared in SOURCE_TOPICS`);
  return found;
}

/** The declarations of the retry and dead-letter topics of one consumer, one set per topic it reads (for creating them). */
export function derivedTopics(consumer: ConsumerDeclaration): TopicDeclaration[] {
  return consumer.topics.flatMap((topic) => {
    // Same partition count as the source so a key keeps landing on the same partition number.
    const { partitions } = sourceTopic(topic);
    const retries = consumer.retryDelaysMs.map((_, i) => ({
      name: retryTopicName(topic, consumer.groupId, i + 1),
      partitions,
      retentionMs: RETRY_RETENTION_MS,
      cleanupPolicy: 'delete' as const,
      purpose: `retry ${i + 1} of ${consumer.name}`,
    }));
    const dlt = {
      name: deadLetterTopicName(topic, consumer.groupId),
      partitions,
      retentionMs: DEAD_LETTER_RETENTION_MS,
      cleanupPolicy: 'delete' as const,
      purpose: `dead letters of ${consumer.name}`,
    };
    return [...retries, dlt];
  });
}

/** Every topic the platform needs: sources, each consumer's retry and dead-letter topics, the ops CLI's. */
export function allTopics(): TopicDeclaration[] {
  return [...SOURCE_TOPICS, ...CONSUMERS.flatMap(derivedTopics), ...OPS_TOPICS];
}
