import { DynamicModule, INestMicroservice, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonLogger, NestJsonLogger, shutdownTelemetry } from '@platform/observability';
import { KafkaEventServer } from './kafka-event-server';
import type { KafkaEventServerOptions } from './kafka-event-server-options';

export interface ConsumerAppOptions {
  readonly module: Type | DynamicModule;
  readonly server: KafkaEventServerOptions;
  /**
   * The app's logger: Nest's messages and the runtime's (unless server.logger says otherwise)
   * are written through it, so the app has one log format.
   */
  readonly logger?: JsonLogger;
  /** Closes what the app opened besides Nest (producers, pools); runs after in-flight records drained. */
  readonly release?: () => Promise<void>;
}

/**
 * Starts a consumer app and owns its process lifecycle, so every consumer stops the same way:
 * on SIGTERM or SIGINT it drains (the runtime finishes in-flight records and commits their
 * offsets before close resolves), then releases the app's own resources, exports the spans still
 * buffered, then exits 0; a failed shutdown exits 1 so the orchestrator sees it.
 */
export async function runConsumerApp(options: ConsumerAppOptions): Promise<INestMicroservice> {
  const logger = new Logger(options.server.consumer.name);
  const server = new KafkaEventServer({ ...options.server, logger: options.server.logger ?? options.logger });
  const app = await NestFactory.createMicroservice(options.module, {
    strategy: server,
    ...(options.logger ? { logger: new NestJsonLogger(options.logger) } : {}),
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, draining`);
    try {
      await app.close();
      await options.release?.();
      await shutdownTelemetry();
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).stack ?? String(error)}`);
      await shutdownTelemetry();
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  await app.listen();
  return app;
}
