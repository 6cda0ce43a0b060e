// Test support for this project's integration specs: throwaway databases, topics and consumers.
import { randomBytes, randomUUID } from 'node:crypto';
import { Admin, IHeaders, Kafka } from 'kafkajs';
import { Pool } from 'pg';
import type { KafkaConfig } from '@platform/config';
import { ConsumerDeclaration, createEnvelope, deadLetterTopicName, EventEnvelope, EventType, retryTopics, stringHeaders, TopicName } from '@platform/contracts';
import { createFreshDatabase, testBrokers, testKafka as sharedTestKafka, waitFor as sharedWaitFor } from '@platform/testing';
import type { PlatformLogger } from '@platform/observability';

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

export function testKafkaConfig(clientId: string): KafkaConfig {
  return { clientId, brokers: testBrokers() };
}

export function testKafka(clientId = `cr-test-${suffix()}`): Kafka {
  return sharedTestKafka(clientId);
}

/** A consumer declaration on throwaway topics; the runtime takes every topic name from it. */
export function testDeclaration(prefix: string, retryDelaysMs: readonly number[] = [300, 600]): ConsumerDeclaration {
  const id = suffix();
  return { name: `${prefix}-${id}`, groupId: `${prefix}-group-${id}`, topics: [`${prefix}.src.${id}` as TopicName], retryDelaysMs };
}

export function topicsOf(declaration: ConsumerDeclaration): { source: string; retries: string[]; dlt: string; all: string[] } {
  const source = declaration.topics[0];
  const retries = retryTopics(declaration);
  const dlt = deadLetterTopicName(source, declaration.groupId);
  return { source, retries, dlt, all: [source, ...retries, dlt] };
}

export async function createTopics(admin: Admin, names: readonly string[], partitions: number): Promise<void> {
  await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: partitions })) });
}

export interface TestDatabase {
  readonly pool: Pool;
  /** For a process of its own (the crash specs' consumers). */
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh database per spec file, dropped afterwards. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const fresh = await createFreshDatabase(prefix);
  const pool = new Pool({ connectionString: fresh.url, max: 8 });
  return {
    pool,
    url: fresh.url,
    drop: async () => {
      await pool.end();
      await fresh.drop();
    },
  };
}

export interface CollectedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/** Reads topics (retry, dead-letter) in its own group for the whole spec file. */
export class TopicCollector {
  readonly records: CollectedRecord[] = [];
  private readonly consumer;

  constructor(kafka: Kafka, private readonly topics: readonly string[]) {
    this.consumer = kafka.consumer({ groupId: `collector-${suffix()}`, maxWaitTimeInMs: 100 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers: stringHeaders(message.headers) });
      },
    });
  }

  on(topic: string, eventId?: string): CollectedRecord[] {
    return this.records.filter((r) => r.topic === topic && (eventId === undefined || r.headers.ce_id === eventId));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export async function produce(kafka: Kafka, topic: string, records: { key: string | null; value: Buffer | null; headers?: IHeaders; partition?: number }[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records });
  } finally {
    await producer.disconnect();
  }
}

export function accountCreated(accountId: string = randomUUID(), id?: string): EventEnvelope<typeof EventType.AccountCreated> {
  return createEnvelope({
    type: EventType.AccountCreated,
    source: 'consumer-runtime-test',
    subject: accountId,
    id,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    data: {
      accountId,
      email: `user-${accountId.slice(0, 8)}@example.com`,
      displayName: 'Test User',
      locale: 'en',
      plan: 'free',
      externalId: null,
      signupContext: { ip: null, userAgent: null },
      createdAt: new Date().toISOString(),
    },
  });
}

export function accountActivated(accountId: string): EventEnvelope<typeof EventType.AccountActivated> {
  return createEnvelope({
    type: EventType.AccountActivated,
    source: 'consumer-runtime-test',
    subject: accountId,
    data: { accountId, activatedAt: new Date().toISOString() },
  });
}

/** Keeps the runtime's log lines in memory; printed only when a spec wants to look. */
export function memoryLogger(): PlatformLogger & { lines: { level: string; msg: string; fields?: object }[] } {
  const lines: { level: string; msg: string; fields?: object }[] = [];
  const at = (level: string) => (msg: string, fields?: object) => {
    lines.push({ level, msg, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The shared waitFor, in the argument order these specs were written with. */
export function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return sharedWaitFor(probe, { what, timeoutMs, intervalMs: 50 });
}

/** What a spec on throwaway topics started, in the order it is taken down; absent parts are skipped. */
export interface ScenarioParts {
  readonly app?: { close(): Promise<void> };
  readonly collector?: TopicCollector;
  readonly admin?: Admin;
  readonly topics: readonly string[];
  readonly db?: TestDatabase;
  /** Printed, debug lines aside, when DUMP_RUNTIME_LOG is set. */
  readonly logger?: ReturnType<typeof memoryLogger>;
}

/** Stops the consumer first (it writes to the topics), then the collector, topics and database. */
export async function stopScenario(parts: ScenarioParts): Promise<void> {
  if (process.env.DUMP_RUNTIME_LOG && parts.logger) for (const line of parts.logger.lines) if (line.level !== 'debug') console.log(line.level, line.msg, JSON.stringify(line.fields));
  await parts.app?.close();
  await parts.collector?.stop();
  await parts.admin?.deleteTopics({ topics: [...parts.topics] }).catch(() => undefined);
  await parts.admin?.disconnect();
  await parts.db?.drop();
}
