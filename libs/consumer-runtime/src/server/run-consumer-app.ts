import { DynamicModule, INestMicroservice, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaEventServer } from './kafka-event-server';
import type { KafkaEventServerOptions } from './kafka-event-server-options';

export interface ConsumerAppOptions {
  readonly module: Type | DynamicModule;
  readonly server: KafkaEventServerOptions;
  /** Closes what the app opened besides Nest (producers, pools); runs after in-flight records drained. */
  readonly release?: () => Promise<void>;
}

/**
 * Starts a consumer app and owns its process lifecycle, so every consumer stops the same way:
 * on SIGTERM or SIGINT it drains (the runtime finishes in-flight records and commits their
 * offsets before close resolves), then releases the app's own resources, then exits 0; a failed
 * shutdown exits 1 so the orchestrator sees it.
 */
export async function runConsumerApp(options: ConsumerAppOptions): Promise<INestMicroservice> {
  const logger = new Logger(options.server.consumer.name);
  const app = await NestFactory.createMicroservice(options.module, { strategy: new KafkaEventServer(options.server) });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, draining`);
    try {
      await app.close();
      await options.release?.();
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).stack ?? String(error)}`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  await app.listen();
  return app;
}
