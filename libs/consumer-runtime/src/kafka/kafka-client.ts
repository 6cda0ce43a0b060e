import { Kafka, LogEntry, logLevel } from 'kafkajs';
import { KafkaConfig, kafkaConnection } from '@platform/config';
import type { PlatformLogger } from '@platform/observability';

/**
 * One Kafka client per server or publisher, with kafkajs' own logs routed to the runtime logger.
 * kafkajs is chatty at info (every join, every pause); warnings and errors are what operators need.
 */
export function createKafkaClient(config: KafkaConfig, clientId: string, logger: PlatformLogger): Kafka {
  return new Kafka({
    clientId,
    ...kafkaConnection(config),
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...fields } = entry.log;
      const line = `kafkajs: ${message}`;
      const context = { namespace: entry.namespace, ...fields };
      if (entry.level <= logLevel.ERROR) logger.error(line, context);
      else if (entry.level === logLevel.WARN) logger.warn(line, context);
      else logger.debug(line, context);
    },
  });
}
