import { randomUUID } from 'node:crypto';
import { CONSUMERS, CloudEventHeader, Consumer, DeadLetterHeader, Topic, consumerDeclaration, deadLetterTopicName } from '@platform/contracts';
import { readTopic, testKafka, waitFor } from '@platform/testing';
import { E2eStack, readStack } from './support/stack-file';

interface AccountBody {
  id: string;
  status: string;
  abuseVerdict: string | null;
  provisioningStatus: string | null;
  workspaceSchema: string | null;
}

interface Mail {
  envelopeTo: string[];
  subject: string | null;
  messageId: string | null;
  text: string | null;
}

describe('signup → Kafka → three consumers, over the real stack', () => {
  let stack: E2eStack;
  beforeAll(() => {
    stack = readStack();
  });

  const signup = (body: Record<string, unknown>) =>
    fetch(`${stack.accountsUrl}/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.apiKey}` },
      body: JSON.stringify(body),
    });

  const mailsTo = async (email: string): Promise<Mail[]> =>
    (await fetch(`${stack.mailApiUrl}?to=${encodeURIComponent(email)}`)).json() as Promise<Mail[]>;

  const account = async (id: string) =>
    (await (await fetch(`${stack.accountsUrl}/v1/accounts/${id}`, { headers: { authorization: `Bearer ${stack.apiKey}` } })).json()) as AccountBody;

  it('creates an account, mails a welcome, records the abuse verdict and activates after provisioning', async () => {
    const email = `ada.${randomUUID().slice(0, 8)}@example.com`;
    const response = await signup({ email, displayName: 'Ada Lovelace', locale: 'en', signupContext: { ip: '203.0.113.7', userAgent: 'e2e' } });
    expect(response.status).toBe(201);
    const created = (await response.json()) as AccountBody;
    expect(response.headers.get('location')).toBe(`/v1/accounts/${created.id}`);

    const [mail] = await waitFor(async () => {
      const mails = await mailsTo(email);
      return mails.length > 0 && mails;
    }, { what: `the welcome mail to ${email}` });
    expect(mail.subject).toMatch(/welcome/i);
    expect(mail.text).toContain('Ada Lovelace');

    const settled = await waitFor(async () => {
      const current = await account(created.id);
      return current.abuseVerdict !== null && current.status === 'active' ? current : undefined;
    }, { what: 'the verdict and provisioning to reach accounts' });
    expect(settled).toMatchObject({ abuseVerdict: 'allow', status: 'active', provisioningStatus: 'provisioned' });
    expect(settled.workspaceSchema).toMatch(/^tenant_/);
    // Exactly one mail even after everything settled: no duplicate from redelivery.
    expect(await mailsTo(email)).toHaveLength(1);
  });

  it('sends a record that is not an event to every consumer’s dead-letter topic and processes the next one', async () => {
    const kafka = testKafka('e2e-poison', stack.kafkaBrokers);
    const producer = kafka.producer();
    await producer.connect();
    const poisonKey = randomUUID();
    await producer.send({ topic: Topic.AccountLifecycle, messages: [{ key: poisonKey, value: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b]) }] });
    await producer.disconnect();

    const email = `after.poison.${randomUUID().slice(0, 8)}@example.com`;
    expect((await signup({ email, displayName: 'After Poison', locale: 'de' })).status).toBe(201);
    await waitFor(async () => (await mailsTo(email)).length === 1, { what: 'the mail sent after the poison record' });

    const lifecycleConsumers = CONSUMERS.filter((c) => c.topics.includes(Topic.AccountLifecycle));
    expect(lifecycleConsumers.map((c) => c.name).sort()).toEqual([Consumer.AbuseScan, Consumer.Provisioning, Consumer.WelcomeEmail].sort());
    for (const consumer of lifecycleConsumers) {
      const dlt = deadLetterTopicName(Topic.AccountLifecycle, consumerDeclaration(consumer.name).groupId);
      const dead = await waitFor(async () => {
        const records = await readTopic(kafka, dlt);
        return records.find((r) => r.key === poisonKey);
      }, { what: `the poison record in ${dlt}` });
      expect(dead.value).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b]));
      expect(dead.headers[DeadLetterHeader.ErrorCode]).toBe('EVENT_HEADER_MISSING');
      expect(dead.headers[DeadLetterHeader.OriginalTopic]).toBe(Topic.AccountLifecycle);
      expect(dead.headers[DeadLetterHeader.ConsumerGroup]).toBe(consumer.groupId);
      expect(dead.headers[CloudEventHeader.Type]).toBeUndefined();
    }
  });

  it('answers bad input with problem+json and never writes half an account', async () => {
    const bad = await signup({ email: 'not-an-email', displayName: 'X' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await bad.json()) as { errors: unknown[] };
    expect(JSON.stringify(problem.errors)).toContain('/email');

    const email = `grace.${randomUUID().slice(0, 8)}@example.com`;
    expect((await signup({ email, displayName: 'Grace' })).status).toBe(201);
    const duplicate = await signup({ email: `  ${email.toUpperCase()} `, displayName: 'Grace Again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
  });
});
