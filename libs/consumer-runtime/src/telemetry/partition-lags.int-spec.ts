import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { createTopics, produce, testKafka } from '../test/fixtures';
import { partitionLags } from './partition-lags';

describe('partitionLags over the broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  const topic = `lags-${randomUUID()}`;
  const empty = `lags-empty-${randomUUID()}`;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [topic, empty], 2);
  });
  afterAll(async () => {
    await admin?.deleteTopics({ topics: [topic, empty] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('counts from the commit where there is one and from the start where there is none', async () => {
    const record = (partition: number) => ({ key: 'k', value: Buffer.from('{}'), partition });
    await produce(kafka, topic, [record(0), record(0), record(0), record(1), record(1)]);
    const groupId = `lags-group-${randomUUID()}`;
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });

    expect(await partitionLags(admin, groupId, [topic, empty])).toEqual([
      { topic, partition: 0, committed: '1', end: '3', lag: 2 },
      { topic, partition: 1, end: '2', lag: 2 },
      { topic: empty, partition: 0, end: '0', lag: 0 },
      { topic: empty, partition: 1, end: '0', lag: 0 },
    ]);
    expect(await partitionLags(admin, groupId, [])).toEqual([]);
  });
});
