import { Kafka, logLevel } from 'kafkajs';
import { KafkaConfig, kafkaConnection } from '@platform/config';

/**
 * The CLI's one Kafka client. kafkajs' own log is off: it reports retries it then recovers from
 * (a transaction coordinator still finishing the previous commit) as errors, which would bury the
 * output; a failure that matters reaches the CLI as a thrown error and is printed once.
 */
export function createKafka(config: KafkaConfig): Kafka {
  return new Kafka({ clientId: config.clientId, ...kafkaConnection(config), logLevel: logLevel.NOTHING });
}
