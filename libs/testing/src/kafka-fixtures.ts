import { randomBytes } from 'node:crypto';
import { Admin, Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { stringHeaders, type TopicDeclaration } from '@platform/contracts';
import { Env, EnvReader, kafkaConnection, readKafkaConfig } from '@platform/config';

export function testBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

/**
 * TLS and SASL for test clients, read from the same KAFKA_SSL, KAFKA_SSL_CA_FILE and
 * KAFKA_SASL_* variables the apps read (libs/config), so a suite runs unchanged against the
 * secure broker (`KAFKA_SECURITY=sasl_ssl tools/kafka/kafka.sh start`). Empty for a plain broker.
 */
export function testKafkaSecurity(env: Env = process.env): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const reader = new EnvReader(env);
  const { ssl, sasl } = kafkaConnection(readKafkaConfig(reader, 'test'));
  reader.done();
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

export function testKafka(clientId = 'test', brokers: string[] = testBrokers()): Kafka {
  return new Kafka({ clientId, brokers, ...testKafkaSecurity(), logLevel: logLevel.NOTHING });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, topics: readonly TopicDeclaration[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      configEntries: [
        { name: 'retention.ms', value: String(t.retentionMs) },
        { name: 'cleanup.policy', value: t.cleanupPolicy },
      ],
    })),
  });
  // A fresh broker can answer "not the leader" for a moment after creation even with
  // waitForLeaders; wait until every new topic serves offsets so callers can use it at once.
  const deadline = Date.now() + 15_000;
  for (const topic of missing) {
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic.name);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
}

export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}


/**
 * Reads every record a topic holds right now, by offsets and without a consumer group, so tests
 * can inspect topics (dead letters, verdicts) without joining groups or disturbing anyone.
 */
export async function readTopic(kafka: Kafka, topic: string): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const wanted = offsets.filter((o) => BigInt(o.high) > BigInt(o.low));
  if (wanted.length === 0) return [];
  const remaining = new Map(wanted.map((o) => [o.partition, BigInt(o.high)]));
  const records: ReadRecord[] = [];
  const groupId = uniqueName('reader');
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 20_000);
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const high = remaining.get(partition);
          if (high === undefined) return;
          records.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers: stringHeaders(message.headers) });
          if (BigInt(message.offset) + 1n >= high) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  // Reader groups are throwaway; deleting them keeps group listings readable.
  const cleanup = kafka.admin();
  await cleanup.connect();
  await cleanup.deleteGroups([groupId]).catch(() => undefined);
  await cleanup.disconnect();
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
