import { Admin, Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig } from '@platform/config';

/** Runs one piece of admin work with a connected client and always disconnects. */
export async function withAdmin<T>(kafka: KafkaConfig, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: kafka.clientId, brokers: kafka.brokers, logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
