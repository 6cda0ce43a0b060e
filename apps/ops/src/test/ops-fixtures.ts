import { randomBytes, randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';
import {
  ConsumerDeclaration,
  DeadLetterHeader,
  EventEnvelope,
  EventType,
  TopicName,
  createEnvelope,
  deadLetterTopicName,
  encodeEnvelope,
  retryTopics,
} from '@platform/contracts';
import { readTopic } from '@platform/testing';
import type { OpsCatalog } from '../catalog';

/** A consumer on throwaway topics, named like the real ones are derived. */
export function testConsumer(prefix: string, retryDelaysMs: number[] = [200]): ConsumerDeclaration {
  const id = randomBytes(4).toString('hex');
  const source = `it.ops.${prefix}.${id}` as TopicName;
  return { name: `${prefix}-${id}`, groupId: `it-ops-${prefix}-${id}`, topics: [source], retryDelaysMs };
}

export function topicsOf(consumer: ConsumerDeclaration): { source: string; retries: string[]; deadLetter: string; all: string[] } {
  const source = consumer.topics[0];
  const retries = retryTopics(consumer);
  const deadLetter = deadLetterTopicName(source, consumer.groupId);
  return { source, retries, deadLetter, all: [...retries, deadLetter] };
}

export function testCatalog(consumers: ConsumerDeclaration[]): OpsCatalog {
  return { consumers, auditTopic: `it.ops.audit.${randomBytes(4).toString('hex')}` };
}

/** Creates the consumers' source, retry and dead-letter topics and the catalog's audit topic. */
export async function createTopics(admin: Admin, catalog: OpsCatalog, partitions: number): Promise<string[]> {
  const names = [...new Set(catalog.consumers.flatMap((c) => [c.topics[0], ...topicsOf(c).all]))];
  await admin.createTopics({
    waitForLeaders: true,
    topics: [...names.map((topic) => ({ topic, numPartitions: partitions })), { topic: catalog.auditTopic, numPartitions: 1 }],
  });
  return [...names, catalog.auditTopic];
}

export function signup(overrides: { email?: string; accountId?: string } = {}): EventEnvelope<typeof EventType.AccountCreated> {
  const accountId = overrides.accountId ?? randomUUID();
  return createEnvelope({
    type: EventType.AccountCreated,
    source: 'ops-it',
    subject: accountId,
    data: {
      accountId,
      email: overrides.email ?? `user-${accountId.slice(0, 8)}@example.com`,
      displayName: 'Ada Lovelace',
      locale: 'en',
      plan: 'free',
      externalId: null,
      signupContext: { ip: '203.0.113.7', userAgent: 'it-agent' },
      createdAt: new Date().toISOString(),
    },
  });
}

export interface DeadLetterOptions {
  errorCode?: string;
  errorMessage?: string;
  replayCount?: number;
  groupId?: string;
  originalTopic?: string;
}

/** A record as the consumer runtime writes it to a dead-letter topic. */
export function deadLetterOf(event: EventEnvelope, options: DeadLetterOptions = {}): { key: string; value: Buffer; headers: IHeaders } {
  const record = encodeEnvelope(event);
  const headers: IHeaders = {
    ...record.headers,
    [DeadLetterHeader.ErrorClass]: 'PermanentError',
    [DeadLetterHeader.ErrorCode]: options.errorCode ?? 'SMTP_REJECTED',
    [DeadLetterHeader.ErrorMessage]: options.errorMessage ?? `550 mailbox ${(event.data as { email?: string }).email ?? 'someone@example.com'} rejected`,
    [DeadLetterHeader.ErrorStack]: 'PermanentError: rejected\n    at handler (/app/src/handler.ts:10:5)',
    [DeadLetterHeader.OriginalTopic]: options.originalTopic ?? 'source',
    [DeadLetterHeader.OriginalPartition]: '0',
    [DeadLetterHeader.OriginalOffset]: '0',
    [DeadLetterHeader.OriginalTimestamp]: String(Date.now()),
    [DeadLetterHeader.ConsumerGroup]: options.groupId ?? 'group',
    [DeadLetterHeader.Attempts]: '1',
    [DeadLetterHeader.FirstFailureTime]: new Date().toISOString(),
  };
  if (options.replayCount !== undefined) headers[DeadLetterHeader.ReplayCount] = String(options.replayCount);
  return { key: record.key, value: record.value, headers };
}

export async function produce(kafka: Kafka, topic: string, messages: { key: string | null; value: Buffer | null; headers?: IHeaders; partition?: number }[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

export async function auditRecords(kafka: Kafka, catalog: OpsCatalog): Promise<Record<string, unknown>[]> {
  return (await readTopic(kafka, catalog.auditTopic)).map((r) => JSON.parse(r.value!.toString('utf8')) as Record<string, unknown>);
}

/** The catalog's consumer groups and the replays' progress groups, which name their consumer. */
export async function deleteGroupsOf(admin: Admin, catalog: OpsCatalog): Promise<void> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => catalog.consumers.some((c) => id === c.groupId || id.includes(`.${c.name}.`)));
  if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
}
