import { randomBytes } from 'node:crypto';
import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { silentLogger } from '@platform/observability';
import { EventPublisher, KafkaEventServer } from '../src';
import { ConsumerDeclaration, EventEnvelope, TopicName, deadLetterTopicName, retryTopicName } from '@platform/contracts';
import { FreshDatabase, createFreshDatabase, testBrokers, testKafka } from '@platform/testing';

/**
 * A consumer app's Nest module on the real runtime and the real broker, but on throwaway topics and a
 * throwaway group, so a spec checks the wiring (ce_type routing, injection, error mapping) without
 * touching the platform's shared topics.
 */
export interface ConsumerHarness {
  readonly source: string;
  readonly deadLetter: string;
  publish(event: EventEnvelope): Promise<void>;
  close(): Promise<void>;
}


export async function startConsumer(prefix: string, module: DynamicModule): Promise<ConsumerHarness> {
  const id = randomBytes(4).toString('hex');
  const source = `it.${prefix}.${id}`;
  const consumer: ConsumerDeclaration = { name: `${prefix}-it`, groupId: `${prefix}-it-${id}`, topics: [source as TopicName], retryDelaysMs: [200] };
  const retry = retryTopicName(source, consumer.groupId, 1);
  const deadLetter = deadLetterTopicName(source, consumer.groupId);
  const kafka = testKafka(`${prefix}-it`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [source, retry, deadLetter].map((topic) => ({ topic, numPartitions: 1 })) });

  let database: FreshDatabase | undefined;
  let pool: Pool | undefined;
  let app: INestMicroservice | undefined;
  let publisher: EventPublisher | undefined;
  const close = async () => {
    await app?.close();
    await publisher?.disconnect();
    await pool?.end();
    await database?.drop();
    await admin.deleteTopics({ topics: [source, retry, deadLetter] }).catch(() => undefined);
    await admin.deleteGroups([consumer.groupId]).catch(() => undefined);
    await admin.disconnect();
  };
  try {
    database = await createFreshDatabase(`${prefix.replace(/-/g, '_')}_inbox_it`);
    pool = new Pool({ connectionString: database.url, max: 2 });
    const kafkaConfig = { clientId: `${prefix}-it`, brokers: testBrokers() };
    app = await NestFactory.createMicroservice(module, {
      logger: false,
      strategy: new KafkaEventServer({ consumer, kafka: kafkaConfig, inbox: { pool, schema: 'it_inbox' }, logger: silentLogger, retry: { attempts: 1 } }),
    });
    await app.listen();
    publisher = await EventPublisher.connect(kafkaConfig, `${prefix}-it-producer`, silentLogger);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { source, deadLetter, publish: (event) => publisher!.publish(source, [event]), close };
}
