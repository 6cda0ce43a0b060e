import { Consumer, EventType, Topic, consumerDeclaration, deadLetterTopicName, retryTopicName } from '@platform/contracts';
import { readTopic, testKafka, waitFor } from '@platform/testing';
import { logFromNow } from './support/app-log';
import { waitForGroupPast } from './support/consumer-progress';
import { PlatformClient, platformClient, uniqueEmail } from './support/platform-client';
import { E2eStack, readStack } from './support/stack-file';

describe('welcome mail while the SMTP server is down, then back', () => {
  let stack: E2eStack;
  let platform: PlatformClient;
  beforeAll(() => {
    stack = readStack();
    platform = platformClient(stack);
  });
  // Whatever happens here, the specs after this one get a working SMTP server.
  afterEach(() => platform.startSmtp());

  it('pauses instead of retrying, then delivers every mail exactly once', async () => {
    const welcomeLog = logFromNow(stack.logDir, 'welcome-email');
    await platform.stopSmtp();

    const people = ['Amara Okafor', 'Lukas Brandt', 'Sofia Marino', 'Kenji Sato'];
    const accounts = [];
    for (const [i, displayName] of people.entries()) {
      accounts.push(await platform.signup({ email: uniqueEmail(displayName.split(' ')[0].toLowerCase()), displayName, locale: ['en', 'de', 'it', 'ja'][i] }));
    }
    // The consumer met the outage and stopped taking records rather than failing them.
    await welcomeLog.waitForLine('SMTP circuit open');
    for (const account of accounts) expect(await platform.mailsTo(account.email)).toHaveLength(0);

    await platform.startSmtp();
    await welcomeLog.waitForLine('consumption resumed');
    for (const account of accounts) {
      await waitFor(async () => (await platform.mailsTo(account.email)).length > 0, { what: `the welcome mail to ${account.email}` });
    }

    // Every created event is settled in the mail group, so a late duplicate would be here by now.
    const kafka = testKafka('e2e-smtp-outage', stack.kafkaBrokers);
    const lifecycle = await readTopic(kafka, Topic.AccountLifecycle);
    const groupId = consumerDeclaration(Consumer.WelcomeEmail).groupId;
    for (const account of accounts) {
      const created = lifecycle.find((r) => r.key === account.id && r.headers.ce_type === EventType.AccountCreated);
      expect(created).toBeDefined();
      await waitForGroupPast(kafka, groupId, Topic.AccountLifecycle, created!.partition, created!.offset);
      const mails = await platform.mailsTo(account.email);
      expect(mails).toHaveLength(1);
      expect(mails[0].messageId).toBe(`<${created!.headers.ce_id}@welcome-email.platform.example>`);
    }

    // Nothing was handed to the retry topics or dead-lettered for the outage.
    const ids = new Set(accounts.map((a) => a.id));
    for (const topic of [retryTopicName(Topic.AccountLifecycle, groupId, 1), retryTopicName(Topic.AccountLifecycle, groupId, 2), deadLetterTopicName(Topic.AccountLifecycle, groupId)]) {
      expect((await readTopic(kafka, topic)).filter((r) => r.key !== null && ids.has(r.key))).toEqual([]);
    }
  });
});
