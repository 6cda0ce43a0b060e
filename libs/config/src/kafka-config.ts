import { EnvReader } from './env-reader';

export interface KafkaConfig {
  readonly clientId: string;
  readonly brokers: string[];
}

/** Every app and the ops CLI read the broker address the same way. */
export function readKafkaConfig(reader: EnvReader, clientId: string): KafkaConfig {
  const brokers = reader.list('KAFKA_BROKERS', ['127.0.0.1:9092']);
  if (brokers.length === 0) reader.problem('KAFKA_BROKERS must name at least one broker');
  return { clientId: reader.string('KAFKA_CLIENT_ID', clientId), brokers };
}
