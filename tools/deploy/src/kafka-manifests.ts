import {
  CONSUMERS,
  Consumer,
  ConsumerDeclaration,
  OPS_TOPICS,
  SOURCE_TOPICS,
  Topic,
  TopicDeclaration,
  allTopics,
  consumerDeclaration,
  consumerTopics,
  derivedTopics,
  deadLetterTopicName,
  retryTopicName,
  retryTopics,
} from '@platform/contracts';

/**
 * The Strimzi objects k8s/base/kafka/ holds, derived from the contracts lib: one KafkaTopic per
 * declared topic and one KafkaUser per app with the least ACLs it needs. `nx run deploy:generate`
 * writes them; the deploy checks fail when the committed files and the contracts disagree.
 */
export const KAFKA_CLUSTER = 'platform';
export const STRIMZI_API = 'kafka.strimzi.io/v1beta2';

/** Replicas and min.insync.replicas of the base (production-shaped); the dev overlay lowers both to 1. */
export const TOPIC_REPLICAS = 3;
export const TOPIC_MIN_INSYNC_REPLICAS = 2;

export type AclOperation = 'Read' | 'Write' | 'Create' | 'Delete' | 'Alter' | 'Describe' | 'ClusterAction' | 'AlterConfigs' | 'DescribeConfigs' | 'IdempotentWrite' | 'All';

export interface Acl {
  readonly resource: { readonly type: 'topic' | 'group' | 'cluster'; readonly name?: string; readonly patternType?: 'literal' | 'prefix' };
  readonly operations: readonly AclOperation[];
}

export interface KafkaObject {
  readonly apiVersion: string;
  readonly kind: 'KafkaTopic' | 'KafkaUser';
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

/**
 * Kubernetes names allow [a-z0-9.-]; topic names here are already of that form. A name that is
 * not keeps its own metadata.name and sets spec.topicName instead.
 */
function resourceName(topic: string): string {
  return topic.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

function labels(extra: Record<string, string> = {}): Record<string, string> {
  return { 'strimzi.io/cluster': KAFKA_CLUSTER, ...extra };
}

export function kafkaTopic(topic: TopicDeclaration): KafkaObject {
  const name = resourceName(topic.name);
  return {
    apiVersion: STRIMZI_API,
    kind: 'KafkaTopic',
    metadata: { name, labels: labels() },
    spec: {
      ...(name !== topic.name ? { topicName: topic.name } : {}),
      partitions: topic.partitions,
      replicas: TOPIC_REPLICAS,
      config: {
        'retention.ms': topic.retentionMs,
        'cleanup.policy': topic.cleanupPolicy,
        'min.insync.replicas': TOPIC_MIN_INSYNC_REPLICAS,
      },
    },
  };
}

const topicAcl = (name: string, ...operations: AclOperation[]): Acl => ({ resource: { type: 'topic', name, patternType: 'literal' }, operations });
const groupAcl = (name: string, ...operations: AclOperation[]): Acl => ({ resource: { type: 'group', name, patternType: 'literal' }, operations });

/** What one consumer group reads (its sources and its retry topics) and writes back (retries, dead letters). */
function consumerAcls(consumer: ConsumerDeclaration): Acl[] {
  const retries = retryTopics(consumer);
  const deadLetters = consumer.topics.map((source) => deadLetterTopicName(source, consumer.groupId));
  return [
    groupAcl(consumer.groupId, 'Read', 'Describe'),
    ...consumer.topics.map((topic) => topicAcl(topic, 'Read', 'Describe')),
    ...retries.map((topic) => topicAcl(topic, 'Read', 'Write', 'Describe')),
    ...deadLetters.map((topic) => topicAcl(topic, 'Write', 'Describe')),
  ];
}

/**
 * The idempotent producers (relay, publishers, dead-letter writer) need IdempotentWrite on the
 * cluster on brokers before Kafka 3.0; later brokers accept Write on the topic alone.
 */
const IDEMPOTENT: Acl = { resource: { type: 'cluster' }, operations: ['IdempotentWrite'] };

/**
 * Who publishes to which source topic. The contracts name readers, not writers, so this is read
 * from the apps: the relay writes what accounts puts in its outbox; abuse-scan and provisioning
 * publish through EventPublisher (see their main.ts and handlers).
 */
export const PUBLISHES: Readonly<Record<string, readonly string[]>> = {
  'accounts-relay': [Topic.AccountLifecycle],
  'abuse-scan': [Topic.AbuseVerdicts],
  provisioning: [Topic.ProvisioningResults],
};

/** Consumer groups an app runs beside its declared one. welcome-email's status feed reads in a group of its own (main.ts). */
export const EXTRA_GROUPS: Readonly<Record<string, readonly { group: string; topics: readonly string[] }[]>> = {
  'welcome-email': [{ group: `${Consumer.WelcomeEmail}.account-status`, topics: [Topic.AccountLifecycle] }],
};

/** The ops CLI's own consumer groups (replay progress) start with this. */
export const OPS_GROUP_PREFIX = 'ops';

/**
 * The KafkaUser of every app, with its ACLs. The user name is the app name, and every consumer
 * the contracts declare is the app of the same name (the accounts inbox runs in accounts), so a
 * new consumer gets its user, and the deploy checks ask for its Deployment.
 */
export function appAcls(): Record<string, Acl[]> {
  const acls: Record<string, Acl[]> = {};
  for (const consumer of CONSUMERS) acls[consumer.name] = consumerAcls(consumer);
  acls['accounts-relay'] = [];
  for (const [app, topics] of Object.entries(PUBLISHES)) acls[app].push(...topics.map((topic) => topicAcl(topic, 'Write', 'Describe')));
  // Every app produces (events, retries or dead letters), always through an idempotent producer.
  for (const app of Object.keys(acls)) acls[app].push(IDEMPOTENT);
  for (const [app, extras] of Object.entries(EXTRA_GROUPS)) {
    for (const extra of extras) acls[app].push(groupAcl(extra.group, 'Read', 'Describe'), ...extra.topics.map((t) => topicAcl(t, 'Read', 'Describe')));
  }
  acls.ops = opsAcls();
  acls['keda-lag-reader'] = kedaAcls();
  return Object.fromEntries(Object.entries(acls).map(([app, list]) => [app, dedupe(list)]));
}

/**
 * The ops CLI inspects every topic and group, reads dead letters and source ranges, and writes
 * only where a replay may go (each consumer's first retry topic) and its audit topic. Topics are
 * the Topic Operator's in a cluster, so no Create or Alter: `ops topics apply --dry-run` shows drift.
 */
function opsAcls(): Acl[] {
  return [
    { resource: { type: 'cluster' }, operations: ['Describe', 'DescribeConfigs'] },
    ...allTopics().map((t) => topicAcl(t.name, 'Read', 'Describe', 'DescribeConfigs')),
    ...CONSUMERS.flatMap((c) => c.topics.map((source) => topicAcl(retryTopicName(source, c.groupId, 1), 'Write'))),
    ...OPS_TOPICS.map((t) => topicAcl(t.name, 'Write')),
    { resource: { type: 'group', name: '*', patternType: 'literal' }, operations: ['Describe'] },
    { resource: { type: 'group', name: OPS_GROUP_PREFIX, patternType: 'prefix' }, operations: ['Read', 'Describe', 'Delete'] },
    IDEMPOTENT,
  ];
}

/** KEDA's Kafka scaler reads committed offsets and log-end offsets, nothing else. */
function kedaAcls(): Acl[] {
  return [
    ...CONSUMERS.map((c) => groupAcl(c.groupId, 'Describe')),
    ...CONSUMERS.flatMap((c) => consumerTopics(c, { deadLetter: true })).map((t) => topicAcl(t, 'Describe')),
  ];
}

function dedupe(acls: Acl[]): Acl[] {
  const merged = new Map<string, Acl>();
  for (const acl of acls) {
    const key = JSON.stringify(acl.resource);
    const previous = merged.get(key);
    const operations = [...new Set([...(previous?.operations ?? []), ...acl.operations])];
    merged.set(key, { resource: acl.resource, operations });
  }
  return [...merged.values()];
}

export function kafkaUser(name: string, acls: readonly Acl[]): KafkaObject {
  return {
    apiVersion: STRIMZI_API,
    kind: 'KafkaUser',
    metadata: { name, labels: labels({ 'app.kubernetes.io/name': name }) },
    spec: {
      // The User Operator writes the password to a Secret of the same name; the apps read it from there.
      authentication: { type: 'scram-sha-512' },
      authorization: { type: 'simple', acls: acls.map((acl) => ({ type: 'allow', resource: acl.resource, operations: [...acl.operations] })) },
    },
  };
}

export function kafkaTopics(): KafkaObject[] {
  return allTopics().map(kafkaTopic);
}

export function kafkaUsers(): KafkaObject[] {
  return Object.entries(appAcls()).map(([name, acls]) => kafkaUser(name, acls));
}

/** The smallest partition count among the topics a consumer group reads: more replicas than that sit idle. */
export function maxUsefulReplicas(consumerName: string): number {
  const consumer = consumerDeclaration(consumerName);
  const read = [...consumer.topics.map((t) => SOURCE_TOPICS.find((s) => s.name === t)!), ...derivedTopics(consumer)];
  return Math.min(...read.map((t) => t.partitions));
}
