import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { AddressInfo } from 'node:net';
import { isEventType } from '@platform/contracts';
import { HealthServer } from '@platform/observability';
import { FailureForwarder } from '../dead-letter/failure-forwarder';
import { MissingTopicsError } from '../errors/runtime-errors';
import { Readiness } from '../health/readiness';
import { InboxStore } from '../inbox/inbox-store';
import { PeriodicPrune } from '../inbox/periodic-prune';
import { ensureRuntimeSchema } from '../inbox/runtime-schema';
import { createIdempotentProducer } from '../kafka/idempotent-producer';
import { createKafkaClient } from '../kafka/kafka-client';
import { ParkedKeys } from '../ordering/parked-keys';
import { processBatch } from '../pipeline/batch-loop';
import { buildPipeline } from '../pipeline/build-pipeline';
import { FastLane } from '../pipeline/fast-lane';
import type { PipelineDeps } from '../pipeline/pipeline-deps';
import { EventRouter } from '../routing/event-router';
import { TopicRoutes } from '../routing/topic-routes';
import { ConsumerLagObserver } from '../telemetry/consumer-lag';
import { RuntimeMetrics, combineHooks } from '../telemetry/runtime-metrics';
import { tracedInvoke } from '../telemetry/traced-invoke';
import { invokeNestHandler } from './invoke-nest-handler';
import { KafkaEventServerOptions, ResolvedOptions, resolveOptions } from './kafka-event-server-options';
import { installNestErrorPassthrough } from './nest-error-passthrough';

/** Lets a handler opt into this transport only: @EventPattern(type, KafkaEventTransport). */
export const KafkaEventTransport: unique symbol = Symbol('KafkaEventTransport');

export const KafkaEventServerStatus = {
  Connecting: 'connecting',
  Connected: 'connected',
  Rebalancing: 'rebalancing',
  Crashed: 'crashed',
  Disconnected: 'disconnected',
} as const;
export type KafkaEventServerStatus = (typeof KafkaEventServerStatus)[keyof typeof KafkaEventServerStatus];

/**
 * A NestJS transport strategy for the platform's events on kafkajs. Nest registers the app's
 * @EventPattern handlers on it; it consumes the declared source topics and the consumer's retry
 * topics in one group, and runs every record through the middleware chain of build-pipeline.ts.
 */
export class KafkaEventServer extends Server<Record<string, (...args: never[]) => unknown>, KafkaEventServerStatus> implements CustomTransportStrategy {
  override readonly transportId = KafkaEventTransport;
  private readonly options: ResolvedOptions;
  private readonly routes: TopicRoutes;
  private readonly inboxStore: InboxStore;
  private readonly readiness = new Readiness();
  private readonly shutdown = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly runtimeMetrics = new RuntimeMetrics();
  private lag?: ConsumerLagObserver;
  private inboxPrune?: PeriodicPrune;
  private kafka?: Kafka;
  private consumer?: Consumer;
  private producer?: Producer;
  private healthServer?: HealthServer;
  private healthBound?: AddressInfo;
  private closing?: Promise<void>;

  constructor(options: KafkaEventServerOptions) {
    super();
    this.options = resolveOptions(options);
    this.routes = new TopicRoutes(this.options.consumer);
    this.inboxStore = new InboxStore(this.options.inbox.pool, this.options.inbox.schema);
    installNestErrorPassthrough();
  }

  async listen(callback: (error?: unknown, ...optionalParams: unknown[]) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      this.options.logger.error('consumer failed to start', { error: (error as Error)?.message });
      await this.close().catch(() => undefined);
      callback(error);
    }
  }

  /** Stops fetching, lets in-flight records finish, commits, leaves the group and disconnects. */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  /** The bound address of the health server (useful with port 0); undefined when disabled. */
  healthAddress(): AddressInfo | undefined {
    return this.healthBound;
  }

  on<EventKey extends string | number | symbol = string | number | symbol, EventCallback = unknown>(_event: EventKey, _callback: EventCallback): never {
    throw new Error('KafkaEventServer does not support on(); use the hooks option or the status observable');
  }

  unwrap<T>(): T {
    if (!this.kafka) throw new Error('KafkaEventServer is not started; call listen() first');
    return [this.kafka, this.consumer, this.producer] as T;
  }

  private async start(): Promise<void> {
    const { logger, consumer: declaration, inbox, kafka } = this.options;
    this._status$.next(KafkaEventServerStatus.Connecting);
    if (this.options.health) {
      const probes = { live: () => this.readiness.live, ready: () => this.readiness.snapshot() };
      this.healthServer = new HealthServer(probes, { consumer: declaration.name, groupId: declaration.groupId });
      this.healthBound = await this.healthServer.start(this.options.health.host, this.options.health.port);
    }
    await ensureRuntimeSchema(inbox.pool, inbox.schema);
    this.inboxPrune = new PeriodicPrune(`inbox of ${declaration.groupId}`, () => this.inboxStore.prune(declaration.groupId, inbox.retentionMs), inbox.pruneIntervalMs, logger);
    this.inboxPrune.start();

    const router = new EventRouter(this.getHandlers());
    const unusable = router.unusablePatterns(isEventType);
    if (unusable.length > 0) logger.warn('handlers that can never receive an event here', { patterns: unusable });
    if (router.eventTypes().length === 0) logger.warn('no event handlers registered; every record will be skipped');
    this.runtimeMetrics.initialize(declaration.groupId, declaration.topics, router.eventTypes().filter(isEventType));

    this.kafka = createKafkaClient(kafka, kafka.clientId, logger);
    await this.assertTopicsExist(this.kafka);
    this.producer = createIdempotentProducer(this.kafka);
    await this.producer.connect();
    const consumer = this.kafka.consumer({
      groupId: declaration.groupId,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs,
      maxBytesPerPartition: this.options.fetchMaxBytesPerPartition,
      maxBytes: this.options.fetchMaxBytes,
    });
    this.consumer = consumer;
    this.watch(consumer);
    await consumer.connect();
    // Earliest: a new group must not skip what is already waiting, least of all in its retry topics.
    await consumer.subscribe({ topics: this.routes.subscribedTopics(), fromBeginning: true });

    const deps = this.pipelineDeps(router);
    const step = buildPipeline(deps);
    const lane = new FastLane(deps, this.options.maxRecordsPerCommit);
    const now = () => Date.now();
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatchAutoResolve: false,
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatch: (payload) => processBatch(payload, this.routes, step, lane, now),
    });
    this.lag = new ConsumerLagObserver(this.kafka, declaration.groupId, this.routes.subscribedTopics());
    logger.info('consumer started', {
      topics: this.routes.subscribedTopics(),
      eventTypes: router.eventTypes(),
      ordering: this.options.ordering,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      health: this.healthBound ? `${this.healthBound.address}:${this.healthBound.port}` : undefined,
    });
  }

  private async assertTopicsExist(kafka: Kafka): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = this.routes.requiredTopics().filter((topic) => !existing.has(topic));
      if (missing.length > 0) throw new MissingTopicsError(missing);
    } finally {
      await admin.disconnect();
    }
  }

  private pipelineDeps(router: EventRouter): PipelineDeps {
    const { options } = this;
    return {
      groupId: options.consumer.groupId,
      routes: this.routes,
      router,
      inbox: this.inboxStore,
      parked: new ParkedKeys(options.inbox.pool, options.inbox.schema),
      forwarder: new FailureForwarder(this.producer!, options.consumer.groupId, Date.now),
      retryPolicy: options.retry,
      ordering: options.ordering,
      hooks: combineHooks(this.runtimeMetrics.hooks(), options.hooks),
      logger: options.logger,
      shutdown: this.shutdown.signal,
      schedule: (ms, fn) => this.schedule(ms, fn),
      invoke: tracedInvoke(invokeNestHandler, this.runtimeMetrics),
      now: Date.now,
    };
  }

  private watch(consumer: Consumer): void {
    const { logger } = this.options;
    const { CONNECT, GROUP_JOIN, REBALANCING, DISCONNECT, CRASH } = consumer.events;
    consumer.on(CONNECT, () => {
      this.readiness.onConnect();
      this._status$.next(KafkaEventServerStatus.Connected);
    });
    consumer.on(GROUP_JOIN, (event) => {
      this.readiness.onGroupJoin(event.payload.memberAssignment);
      this._status$.next(KafkaEventServerStatus.Connected);
      logger.info('joined consumer group', { memberId: event.payload.memberId, assignment: event.payload.memberAssignment });
    });
    consumer.on(REBALANCING, () => {
      this.readiness.onRebalancing();
      this._status$.next(KafkaEventServerStatus.Rebalancing);
    });
    consumer.on(DISCONNECT, () => {
      this.readiness.onDisconnect();
      this._status$.next(KafkaEventServerStatus.Disconnected);
    });
    consumer.on(CRASH, (event) => {
      this.readiness.onCrash(event.payload.restart);
      this._status$.next(KafkaEventServerStatus.Crashed);
      logger.error('consumer crashed', { error: event.payload.error?.message, restart: event.payload.restart });
    });
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.shutdown.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private async drain(): Promise<void> {
    const { logger, shutdownTimeoutMs } = this.options;
    this.readiness.onClosing();
    // Ends backoff and retry waits at once; running handlers are left to finish.
    this.shutdown.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // Before the app's release() ends the pool the prune runs on.
    await withTimeout(this.inboxPrune?.stop() ?? Promise.resolve(), 5_000);

    const consumer = this.consumer;
    if (consumer) {
      // stop(): no new fetches, waits for the batches in flight, commits what they resolved, leaves the group.
      const drained = await withTimeout(consumer.stop(), shutdownTimeoutMs);
      if (!drained) logger.warn('shutdown timeout reached with records in flight; they will be redelivered', { shutdownTimeoutMs });
      await withTimeout(consumer.disconnect(), 5_000);
    }
    if (this.producer) await withTimeout(this.producer.disconnect(), 5_000);
    await withTimeout(this.lag?.close() ?? Promise.resolve(), 5_000);
    await this.healthServer?.stop();
    this._status$.next(KafkaEventServerStatus.Disconnected);
    logger.info('consumer stopped');
  }
}

/** Resolves true if `work` settled in time, false if the timeout won; never rejects. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const, () => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
