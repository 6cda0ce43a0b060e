import type { Admin, Kafka } from 'kafkajs';

/** Runs one piece of admin work with a connected client and always disconnects. */
export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
