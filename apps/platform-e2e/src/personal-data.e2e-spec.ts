import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONSUMERS, CloudEventHeader, EventType, JSON_CONTENT_TYPE, Topic, deadLetterTopicName } from '@platform/contracts';
import { readTopic, testKafka, waitFor } from '@platform/testing';
import { PlatformClient, platformClient, uniqueEmail } from './support/platform-client';
import { E2eStack, readStack } from './support/stack-file';

/**
 * Issue 10's search: the addresses a run used must appear in none of the places an operator or
 * a downstream team can read, beyond the records that are meant to carry them (a live account's
 * created event and its mail). Erasure removes them from the account and the closed event.
 */
describe('personal data stays where it belongs, and erasure erases it', () => {
  let stack: E2eStack;
  let platform: PlatformClient;
  const emails: string[] = [];
  beforeAll(() => {
    stack = readStack();
    platform = platformClient(stack);
  });

  it('leaves no address in the closed event, the erased account, dead-letter headers, metrics, spans or logs', async () => {
    const kafka = testKafka('e2e-personal-data', stack.kafkaBrokers);
    const email = uniqueEmail('erasable.person');
    emails.push(email);
    const created = await platform.signup({ email, displayName: 'Erasable Person', locale: 'en' });
    await waitFor(async () => ((await platform.account(created.id)).status === 'active' ? true : undefined), { what: 'the account to be active' });

    const closed = await fetch(`${stack.accountsUrl}/v1/accounts/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.apiKey}` } });
    expect(closed.status).toBe(204);
    const erased = await platform.account(created.id);
    expect(erased.status).toBe('closed');
    expect(JSON.stringify(erased)).not.toContain(email);
    expect(JSON.stringify(erased)).not.toContain('Erasable Person');

    // A record a consumer cannot handle, carrying an address in its data: its dead-letter copy
    // keeps the original bytes (that is the point of a DLT), but the reason headers must not echo it.
    const poisonEmail = uniqueEmail('poison.person');
    emails.push(poisonEmail);
    const poisonKey = randomUUID();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: Topic.AccountLifecycle,
      messages: [
        {
          key: poisonKey,
          value: JSON.stringify({ email: poisonEmail, displayName: 'Poison Person' }),
          headers: {
            [CloudEventHeader.SpecVersion]: '1.0',
            [CloudEventHeader.Id]: randomUUID(),
            [CloudEventHeader.Source]: 'urn:platform:e2e',
            [CloudEventHeader.Type]: EventType.AccountCreated,
            [CloudEventHeader.Subject]: poisonKey,
            [CloudEventHeader.Time]: new Date().toISOString(),
            [CloudEventHeader.ContentType]: JSON_CONTENT_TYPE,
          },
        },
      ],
    });
    await producer.disconnect();
    const readers = CONSUMERS.filter((c) => c.topics.includes(Topic.AccountLifecycle));
    for (const consumer of readers) {
      const dlt = deadLetterTopicName(Topic.AccountLifecycle, consumer.groupId);
      const copy = await waitFor(async () => (await readTopic(kafka, dlt)).find((r) => r.key === poisonKey), { what: `the poison in ${dlt}`, timeoutMs: 20_000 });
      expect({ dlt, headers: JSON.stringify(copy.headers) }).toEqual({ dlt, headers: expect.not.stringContaining(poisonEmail) });
    }

    // After erasure the topic holds the address only in the created event, never in later ones.
    const events = (await readTopic(kafka, Topic.AccountLifecycle)).filter((r) => r.key === created.id);
    const closedEvent = events.find((r) => r.headers[CloudEventHeader.Type] === EventType.AccountClosed);
    expect(closedEvent).toBeDefined();
    for (const event of events.filter((r) => r.headers[CloudEventHeader.Type] !== EventType.AccountCreated)) {
      expect({ type: event.headers[CloudEventHeader.Type], value: event.value?.toString('utf8') }).toEqual({
        type: event.headers[CloudEventHeader.Type],
        value: expect.not.stringContaining(email),
      });
    }

    for (const [app, url] of Object.entries(stack.metricsUrls)) {
      const text = await (await fetch(url)).text();
      for (const address of emails) expect({ app, leaks: text.includes(address) }).toEqual({ app, leaks: false });
    }
    const spans = await (await fetch(`${stack.otlpUrl}/api/spans`)).text();
    for (const address of emails) expect(spans.includes(address)).toBe(false);
    for (const file of readdirSync(stack.logDir)) {
      const log = readFileSync(join(stack.logDir, file), 'utf8');
      for (const address of emails) expect({ file, leaks: log.includes(address) }).toEqual({ file, leaks: false });
    }
  });
});
