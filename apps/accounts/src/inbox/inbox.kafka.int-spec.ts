import { EventEnvelope, EventType, Topic, encodeEnvelope } from '@platform/contracts';
import { waitFor } from '@platform/testing';
import { Producer } from 'kafkajs';
import { TestApp, request, startTestApp } from '../../test/test-app';
import { outboxRows } from '../../test/test-database';
import { TestConsumerGroup, createTestConsumerGroup } from '../../test/test-consumer-group';
import { provisioningCompletedEvent, verdictEvent } from '../../test/inbound-events';

/** The inbox wired to the real broker through @platform/consumer-runtime, end to end within the service. */
describe('inbox over the real broker', () => {
  let group: TestConsumerGroup;
  let t: TestApp;
  let producer: Producer;

  beforeAll(async () => {
    group = await createTestConsumerGroup();
    t = await startTestApp('inbox_kafka', { ACCOUNTS_INBOX_ENABLED: 'true' }, { inboxConsumer: group.declaration });
    producer = group.kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await t?.close();
    await group?.remove();
  });

  const publish = (topic: string, event: EventEnvelope) => producer.send({ topic, messages: [encodeEnvelope(event)] });
  const signup = async (email: string): Promise<string> => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email, displayName: 'Kafka Test' } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const account = async (id: string) => (await request(t.baseUrl, 'GET', `/v1/accounts/${id}`)).body;

  it('applies a verdict and a provisioning result from Kafka, once each, with the outbox events they cause', async () => {
    const id = await signup(`kafka.allow.${Date.now()}@example.com`);
    await publish(Topic.AbuseVerdicts, verdictEvent(id, 'allow'));
    const completed = provisioningCompletedEvent(id, 'tenant_kafka');
    await publish(Topic.ProvisioningResults, completed);
    // Redelivery of the same event, as after a rebalance: must be a no-op.
    await publish(Topic.ProvisioningResults, completed);

    const settled = await waitFor(async () => {
      const current = await account(id);
      return current.status === 'active' && current.abuseVerdict === 'allow' && current;
    }, { what: 'the account to be active with its verdict', timeoutMs: 30_000 });
    expect(settled).toMatchObject({ provisioningStatus: 'provisioned', workspaceSchema: 'tenant_kafka' });

    // Give the duplicate time to arrive, then check it changed nothing.
    await waitFor(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM accounts.processed_events WHERE event_id = $1`, [completed.id]);
      return n === 1;
    }, { what: 'the runtime to record the provisioning event' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await outboxRows(t.db, id)).map((r) => r.event_type)).toEqual([EventType.AccountCreated, EventType.AccountActivated]);
    expect((await account(id)).version).toBe(3);
  });

  it('suspends an account on a block verdict from Kafka', async () => {
    const id = await signup(`kafka.block.${Date.now()}@example.com`);
    await publish(Topic.AbuseVerdicts, verdictEvent(id, 'block'));
    const suspended = await waitFor(async () => {
      const current = await account(id);
      return current.status === 'suspended' && current;
    }, { what: 'the account to be suspended', timeoutMs: 30_000 });
    expect(suspended.suspensionReasons).toEqual(['disposable-domain: disposable email domain', 'velocity: many sign-ups from one IP']);
    expect((await outboxRows(t.db, id)).map((r) => r.event_type)).toEqual([EventType.AccountCreated, EventType.AccountSuspended]);
  });
});
