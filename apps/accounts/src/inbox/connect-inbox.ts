import { INestApplication, Logger } from '@nestjs/common';
import { Consumer, ConsumerDeclaration, consumerDeclaration } from '@platform/contracts';
import { KafkaEventServer } from '@platform/consumer-runtime';
import type { PlatformLogger } from '@platform/observability';
import { AccountsConfig } from '../config';
import { ACCOUNTS_SCHEMA } from '../database/schema';
import { InboxConnectionPool } from './inbox-connection-pool';

/** Partitions applied at the same time; events of one account stay in order within their partition. */
const PARTITIONS_CONSUMED_CONCURRENTLY = InboxConnectionPool.SIZE - 1;

/**
 * Joins the `accounts` consumer group on abuse verdicts and provisioning results. The consumer
 * starts with app.startAllMicroservices() and stops with app.close(), before the pools close.
 */
export function connectInbox(
  app: INestApplication,
  config: AccountsConfig,
  consumer: ConsumerDeclaration = consumerDeclaration(Consumer.AccountsInbox),
): KafkaEventServer {
  const server = new KafkaEventServer({
    consumer,
    kafka: config.kafka,
    inbox: { pool: app.get(InboxConnectionPool).get(), schema: ACCOUNTS_SCHEMA, ...config.inboxRetention },
    partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
    logger: nestRuntimeLogger(new Logger('inbox')),
  });
  app.connectMicroservice({ strategy: server });
  return server;
}

/**
 * The runtime's log lines through Nest's logger, so the service has one log format. Fields go
 * as an object: the service's JSON logger (NestJsonLogger) writes them as fields of the line.
 */
function nestRuntimeLogger(logger: Logger): PlatformLogger {
  const args = (fields?: object) => (fields && Object.keys(fields).length > 0 ? [fields] : []);
  return {
    debug: (msg, fields) => logger.debug(msg, ...args(fields)),
    info: (msg, fields) => logger.log(msg, ...args(fields)),
    warn: (msg, fields) => logger.warn(msg, ...args(fields)),
    // Nest reads a second string argument of error() as a stack; an object is never taken for one.
    error: (msg, fields) => logger.error(msg, ...args(fields)),
  };
}
