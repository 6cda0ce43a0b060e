import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { stringHeaders } from '@platform/contracts';

export interface CollectedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Everything committed to some topics, as a read_committed consumer (like the consumer runtime)
 * sees it: a record of an aborted or unfinished transaction never shows up here.
 */
export class TopicCollector {
  readonly records: CollectedRecord[] = [];
  private readonly groupId = `it-ops-collector-${randomBytes(4).toString('hex')}`;
  private readonly consumer: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly string[],
  ) {
    this.consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push({ topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, timestamp: Number(message.timestamp), headers: stringHeaders(message.headers) });
      },
    });
  }

  on(topic: string): CollectedRecord[] {
    return this.records.filter((r) => r.topic === topic);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
