import { DynamicModule, INestMicroservice, Logger, Type } from '@nestjs/common';
import { Env, pgTimeoutOptions } from '@platform/config';
import type { ConsumerDeclaration } from '@platform/contracts';
import { JsonLogger, NestJsonLogger, createJsonLogger, logIdleConnectionErrors } from '@platform/observability';
import { Pool } from 'pg';
import { EventPublisher } from '../publisher/event-publisher';
import type { KafkaEventServerOptions } from '../server/kafka-event-server-options';
import { runConsumerApp } from '../server/run-consumer-app';
import { ConsumerConfigDefinition, ConsumerRuntimeConfig, readConsumerConfig } from './consumer-config';
import { Release, ReleaseStack } from './release-stack';

/** What the runtime hands an app's start: its settings, and what the runtime opened for it. */
export interface ConsumerContext<S> {
  /** The consumer this process runs: its group and topics. */
  readonly consumer: ConsumerDeclaration;
  readonly settings: S;
  readonly config: ConsumerRuntimeConfig;
  /** The app's JSON logger (service = the consumer's name); Nest's Logger writes through it too. */
  readonly log: JsonLogger;
  /** Nest's Logger in the consumer's name, for the app's own lines. */
  readonly logger: Logger;
  /** The inbox's pool, with the database timeouts; the app may keep its own tables in it. */
  readonly inboxPool: Pool;
  /** A connected producer, client id `<consumer>-<name>`, disconnected when the consumer stops. */
  publisher(name: string): Promise<EventPublisher>;
  /** Closes something the app opened once the consumer drained, in reverse order of opening. */
  releaseOnStop(release: Release): void;
}

/** The server's options the app may set; the runtime sets the consumer, Kafka, inbox and health. */
export type ConsumerServerOptions = Omit<KafkaEventServerOptions, 'consumer' | 'kafka' | 'inbox' | 'health'>;

export interface ConsumerStart {
  /** The app's Nest module, its handlers built. */
  readonly module: Type | DynamicModule;
  readonly server?: ConsumerServerOptions;
  /** Said in the "consuming as" line, between the consumer's name and the health address. */
  readonly summary?: string;
  /** Runs once the consumer listens, for what needs the running app. */
  readonly listening?: (app: INestMicroservice) => void;
}

export interface ConsumerDefinition<S> extends ConsumerConfigDefinition<S> {
  /** Builds the app's handlers from its settings; may open resources, released when it stops. */
  start(context: ConsumerContext<S>): Promise<ConsumerStart>;
  /** Errors, by name, whose message says what is wrong and what to do: logged without a stack. */
  readonly plainErrors?: readonly string[];
}

/**
 * A consumer process from start to exit: reads the configuration (the runtime's and the app's) once,
 * opens the inbox pool, runs the app's start, and hands its module to runConsumerApp, which drains on
 * SIGTERM or SIGINT, then releases what was opened, newest first, and exits 0. A start-up failure
 * is logged, what was opened is released, and the process exits 1.
 */
export async function runConsumer<S>(definition: ConsumerDefinition<S>, env: Env = process.env): Promise<void> {
  const service = definition.consumer.name;
  const releases = new ReleaseStack();
  try {
    const { runtime, settings } = readConsumerConfig(env, definition);
    const log = createJsonLogger({ service, level: runtime.log.level });
    Logger.overrideLogger(new NestJsonLogger(log));
    const logger = new Logger(service);

    const inboxPool = new Pool({ connectionString: runtime.database.url, max: runtime.database.poolSize, ...pgTimeoutOptions(runtime.database) });
    releases.push(() => inboxPool.end());
    logIdleConnectionErrors(inboxPool, 'inbox pool', (m) => logger.warn(m));
    const started = await definition.start({
      consumer: definition.consumer,
      settings,
      config: runtime,
      log,
      logger,
      inboxPool,
      publisher: async (name) => {
        const publisher = await EventPublisher.connect(runtime.kafka, `${runtime.kafka.clientId}-${name}`, log.child({ context: `${name}-publisher` }));
        releases.push(() => publisher.disconnect());
        return publisher;
      },
      releaseOnStop: (release) => releases.push(release),
    });

    const app = await runConsumerApp({
      module: started.module,
      logger: log,
      server: {
        ...started.server,
        consumer: definition.consumer,
        kafka: runtime.kafka,
        inbox: { pool: inboxPool, schema: runtime.inboxSchema, ...runtime.inboxRetention },
        health: runtime.health,
      },
      // After the drain: in-flight records may still need these.
      release: () => releases.releaseAll(),
    });
    started.listening?.(app);
    const summary = started.summary ? `${started.summary}; ` : '';
    logger.log(`consuming as ${service}; ${summary}health on ${runtime.health.host}:${runtime.health.port}`);
  } catch (error) {
    logStartFailure(service, error, ['ConfigError', ...(definition.plainErrors ?? [])]);
    await releases.releaseAll().catch(() => undefined);
    process.exit(1);
  }
}

/** ConfigError's problems and the plain errors' messages name what is wrong; anything else gets its stack. */
function logStartFailure(service: string, error: unknown, plainErrors: readonly string[]): void {
  const plain = error instanceof Error && plainErrors.includes(error.name);
  const problems = (error as { problems?: unknown } | undefined)?.problems;
  createJsonLogger({ service }).error('failed to start', { error, ...(problems ? { problems } : plain ? {} : { stack: (error as Error)?.stack }) });
}
