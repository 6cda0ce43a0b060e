// Test support for this project's specs: throwaway databases, topics and consumers for the
// integration specs; in-memory fakes of the record pipeline's edges for the unit specs.
import { randomBytes, randomUUID } from 'node:crypto';
import { Admin, IHeaders, Kafka, KafkaMessage, Producer, ProducerRecord } from 'kafkajs';
import type { MessageHandler } from '@nestjs/microservices';
import { Pool } from 'pg';
import type { KafkaConfig } from '@platform/config';
import { ConsumerDeclaration, createEnvelope, deadLetterTopicName, encodeEnvelope, EventEnvelope, EventType, retryTopicName, retryTopics, stringHeaders, TopicName } from '@platform/contracts';
import { createFreshDatabase, testBrokers, testKafka as sharedTestKafka, waitFor as sharedWaitFor } from '@platform/testing';
import type { PlatformLogger } from '@platform/observability';
import { FailureForwarder, ForwardOptions } from '../dead-letter/failure-forwarder';
import type { HookName, RecordInfo, RuntimeHooks } from '../hooks/runtime-hooks';
import type { InboxStore, InTransaction } from '../inbox/inbox-store';
import type { OrderingMode } from '../ordering/ordering-mode';
import type { ParkedKeys, ParkedRecord } from '../ordering/parked-keys';
import type { PipelineDeps } from '../pipeline/pipeline-deps';
import type { Outcome, RecordJob } from '../pipeline/record-job';
import type { RetryPolicy } from '../retry/retry-policy';
import { EventRouter } from '../routing/event-router';
import { TopicRoutes } from '../routing/topic-routes';
import type { EventContext } from '../server/event-context';

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

// ---- Unit specs of the record pipeline: its deps over in-memory fakes, and jobs to run through it.

export const PIPELINE_GROUP = 'g';
export const PIPELINE_SOURCE = 'src' as TopicName;
export const PIPELINE_ACCOUNT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
/** Two retry topics, 300 and 600 ms. */
export const pipelineRoutes = new TopicRoutes({ name: 'c', groupId: PIPELINE_GROUP, topics: [PIPELINE_SOURCE], retryDelaysMs: [300, 600] });
/** The event a pipeline job carries unless told otherwise; account.created, which the fake deps handle. */
export const pipelineEvent = accountCreated(PIPELINE_ACCOUNT);

/** parked_keys in memory, with the same head and release rules as the table. */
export class FakeParkedKeys {
  rows: ParkedRecord[] = [];
  async head(_groupId: string, _sourceTopic: string, key: string) {
    const rows = this.rows.filter((r) => r.key === key).sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    return rows[0] ? { partition: rows[0].partition, offset: rows[0].offset } : undefined;
  }
  async park(record: ParkedRecord) {
    if (!this.rows.some((r) => r.partition === record.partition && r.offset === record.offset)) this.rows.push(record);
  }
  async release(record: { partition: number; offset: string }) {
    this.rows = this.rows.filter((r) => !(r.partition === record.partition && r.offset === record.offset));
  }
  async releaseOlderThan(_groupId: string, _sourceTopic: string, key: string, offset: string) {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => !(r.key === key && BigInt(r.offset) < BigInt(offset)));
    return before - this.rows.length;
  }
}

/** The inbox in memory: a claimed id is a duplicate; a handler that throws leaves no claim. */
export class FakeInbox {
  readonly claimed = new Set<string>();
  async runOnce(entry: { eventId: string }, handler: () => Promise<void>, also: readonly InTransaction[] = []) {
    if (this.claimed.has(entry.eventId)) {
      for (const work of also) await work(undefined as never);
      return 'duplicate' as const;
    }
    await handler();
    for (const work of also) await work(undefined as never);
    this.claimed.add(entry.eventId);
    return 'processed' as const;
  }
}

/** A record a forward wrote: where, with which options, and the headers the broker got. */
export interface ForwardedRecord {
  readonly destination: string;
  readonly options: ForwardOptions;
  readonly key: Buffer | string | null;
  readonly headers: Record<string, string>;
}

/** The real FailureForwarder over a producer that keeps what it was asked to send. */
export class FakeForwarder {
  readonly sent: ForwardedRecord[] = [];
  /** The broker refuses every write: the forwarder throws FailureForwardError, as after its retries. */
  refuse = false;
  /** Thrown as is instead of writing: trouble that is not a refused write. */
  failWith?: Error;
  private written?: ProducerRecord;
  private readonly forwarder: FailureForwarder;

  constructor(now: () => number) {
    const producer = {
      send: async (record: ProducerRecord) => {
        if (this.refuse) throw new Error('broker refused');
        this.written = record;
        return [];
      },
    } as unknown as Producer;
    this.forwarder = new FailureForwarder(producer, PIPELINE_GROUP, now);
  }

  async forward(job: RecordJob, destination: string, options: ForwardOptions): Promise<void> {
    if (this.failWith) throw this.failWith;
    await this.forwarder.forward(job, destination, options);
    const [message] = this.written!.messages;
    this.sent.push({ destination, options, key: message.key ?? null, headers: stringHeaders(message.headers) });
  }
}

export interface FakePipeline {
  readonly deps: PipelineDeps;
  readonly parked: FakeParkedKeys;
  readonly inbox: FakeInbox;
  readonly forwarder: FakeForwarder;
  readonly shutdown: AbortController;
  /** What deps.schedule was asked to run, and after how long; nothing runs by itself. */
  readonly scheduled: { ms: number; fn: () => void }[];
  /** Every hook fired, in order. */
  readonly fired: { hook: HookName; info: RecordInfo }[];
  readonly logger: ReturnType<typeof memoryLogger>;
  /** The context of every account.created handler call, in order. */
  readonly calls: EventContext[];
}

export interface FakePipelineOptions {
  /** What the account.created handler does; the deps route no other type. */
  readonly behaviour?: (event: unknown, context: EventContext) => Promise<void> | void;
  readonly ordering?: OrderingMode;
  readonly retryPolicy?: RetryPolicy;
  readonly now?: () => number;
}

/** PipelineDeps over in-memory fakes, as a server start would build them. */
export function fakePipelineDeps(options: FakePipelineOptions = {}): FakePipeline {
  const now = options.now ?? Date.now;
  const parked = new FakeParkedKeys();
  const inbox = new FakeInbox();
  const forwarder = new FakeForwarder(now);
  const shutdown = new AbortController();
  const scheduled: { ms: number; fn: () => void }[] = [];
  const fired: { hook: HookName; info: RecordInfo }[] = [];
  const logger = memoryLogger();
  const calls: EventContext[] = [];
  const behaviour = options.behaviour ?? (() => undefined);
  const handler: MessageHandler = Object.assign(
    async (event: unknown, context: EventContext) => {
      calls.push(context);
      await behaviour(event, context);
    },
    { isEventHandler: true },
  );
  const hookNames: HookName[] = ['onProcessed', 'onFailed', 'onRetried', 'onDeadLettered', 'onDeadLetterFailed', 'onIgnored'];
  const hooks = Object.fromEntries(hookNames.map((hook) => [hook, (info: RecordInfo) => fired.push({ hook, info })])) as unknown as RuntimeHooks;
  const deps: PipelineDeps = {
    groupId: PIPELINE_GROUP,
    routes: pipelineRoutes,
    router: new EventRouter(new Map([[EventType.AccountCreated, handler]])),
    inbox: inbox as unknown as InboxStore,
    parked: parked as unknown as ParkedKeys,
    forwarder: forwarder as unknown as FailureForwarder,
    retryPolicy: options.retryPolicy ?? { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ordering: options.ordering ?? 'park',
    hooks,
    logger,
    shutdown: shutdown.signal,
    schedule: (ms, fn) => scheduled.push({ ms, fn }),
    invoke: async (h, event, context) => {
      await h(event, context);
    },
    now,
  };
  return { deps, parked, inbox, forwarder, shutdown, scheduled, fired, logger, calls };
}

export interface PipelineJobOptions {
  /** 0 for the source topic, n for retry topic n. */
  readonly stage?: number;
  readonly offset?: string;
  /** The source-topic offset the record started as; its own offset unless told. */
  readonly originOffset?: string;
  readonly key?: string | null;
  readonly event?: EventEnvelope;
  /** Replace or add to the encoded event's headers. */
  readonly headers?: IHeaders;
  readonly value?: Buffer;
  readonly startedAt?: number;
}

/** A job counting its partition's pauses and resumes and its heartbeats. */
export type CountingJob = RecordJob & { paused: number; resumed: number; heartbeats: number };

/** A record of `pipelineEvent` (or `event`) on a consumer topic, as the batch loop hands it to the pipeline. */
export function pipelineJob(options: PipelineJobOptions = {}): CountingJob {
  const stage = options.stage ?? 0;
  const encoded = encodeEnvelope(options.event ?? pipelineEvent);
  const topic = stage === 0 ? PIPELINE_SOURCE : retryTopicName(PIPELINE_SOURCE, PIPELINE_GROUP, stage);
  const key = options.key === undefined ? encoded.key : options.key;
  const offset = options.offset ?? '10';
  const message = {
    key: key === null ? null : Buffer.from(key),
    value: options.value ?? encoded.value,
    headers: { ...encoded.headers, ...options.headers },
    offset,
    timestamp: '0',
  } as unknown as KafkaMessage;
  const counts = { paused: 0, resumed: 0, heartbeats: 0 };
  return Object.assign(counts, {
    message,
    route: pipelineRoutes.routeOf(topic),
    partition: 0,
    headers: stringHeaders(message.headers),
    origin: { topic: PIPELINE_SOURCE, partition: 0, offset: options.originOffset ?? offset, timestamp: '0' },
    key,
    startedAt: options.startedAt ?? Date.now(),
    heartbeat: async () => {
      counts.heartbeats += 1;
    },
    pausePartition: () => {
      counts.paused += 1;
      return () => {
        counts.resumed += 1;
      };
    },
    attemptsBefore: 0,
    attempts: 0,
    inTransaction: [],
  });
}

/** A `next` step that records its calls and answers with what `outcome` gives (or throws). */
export function fakeNext(outcome: (call: number) => Promise<Outcome> | Outcome = () => ({ kind: 'processed' })): jest.Mock<Promise<Outcome>, []> {
  let calls = 0;
  return jest.fn(async () => outcome(++calls));
}

/** On fake timers: asserts that `next` is called for the `call`th time `ms` from now, not a millisecond sooner. */
export async function expectNextCallAfter(next: jest.Mock, call: number, ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms - 1);
  expect(next).toHaveBeenCalledTimes(call - 1);
  await jest.advanceTimersByTimeAsync(1);
  expect(next).toHaveBeenCalledTimes(call);
}
