import { randomInt } from 'node:crypto';
import { EventType, Topic } from '@platform/contracts';
import { readTopic, testKafka, waitFor } from '@platform/testing';
import { logFromNow } from './support/app-log';
import { PlatformClient, platformClient, uniqueEmail } from './support/platform-client';
import { connectTo } from './support/service-database';
import { E2eStack, readStack } from './support/stack-file';

describe('a block verdict over the real stack', () => {
  let stack: E2eStack;
  let platform: PlatformClient;
  beforeAll(() => {
    stack = readStack();
    platform = platformClient(stack);
  });
  afterEach(() => platform.startSmtp());

  it('suspends the account, and its welcome mail, not sent yet, is never sent', async () => {
    const welcomeLog = logFromNow(stack.logDir, 'welcome-email');
    // Held back by an SMTP outage, so the mail is still unsent when the verdict lands.
    await platform.stopSmtp();

    // A disposable domain (60) and a generated-looking local part (20) reach the default policy's block threshold (80).
    const email = `xkqvbzt${randomInt(10_000_000, 99_999_999)}@mailinator.com`;
    const created = await platform.signup({ email, displayName: 'Deal Hunter', locale: 'en', signupContext: { ip: '198.51.100.77', userAgent: 'e2e' } });
    // The consumer tried and could not send. From here it either retries in process or, once the
    // circuit opens, waits; both ask the guard again before the next try.
    await welcomeLog.waitForLine('SMTP_UNAVAILABLE');

    const suspended = await waitFor(
      async () => {
        const account = await platform.account(created.id);
        return account.status === 'suspended' ? account : undefined;
      },
      { what: 'the block verdict to suspend the account' },
    );
    expect(suspended.abuseVerdict).toBe('block');
    const verdicts = await readTopic(testKafka('e2e-abuse-block', stack.kafkaBrokers), Topic.AbuseVerdicts);
    const verdict = verdicts.find((r) => r.key === created.id && r.headers.ce_type === EventType.AbuseVerdictIssued);
    const data = JSON.parse(verdict!.value!.toString('utf8'));
    expect(data).toMatchObject({
      verdict: 'block',
      reasons: expect.arrayContaining([expect.objectContaining({ rule: 'disposable-email-domain' }), expect.objectContaining({ rule: 'suspicious-local-part' })]),
      ruleVersions: expect.objectContaining({ 'disposable-email-domain': expect.any(String), policy: expect.any(String) }),
    });
    expect(data.score).toBeGreaterThanOrEqual(80);

    // welcome-email learned of the suspension while the created event was still waiting for SMTP.
    const welcomeDb = await connectTo(stack, 'welcome_email');
    try {
      await waitFor(
        async () => (await welcomeDb.query('SELECT status FROM welcome_email.account_status WHERE account_id = $1', [created.id])).rows[0]?.status === 'suspended',
        { what: 'the suspension in the welcome guard' },
      );
    } finally {
      await welcomeDb.end();
    }

    await platform.startSmtp();
    await welcomeLog.waitForLine(`welcome mail withheld for account ${created.id}: account is suspended`);
    // A mail signed up after it goes out, so the consumer is past the suspended one.
    const after = await platform.signup({ email: uniqueEmail('after.block'), displayName: 'After Block', locale: 'en' });
    await waitFor(async () => (await platform.mailsTo(after.email)).length === 1, { what: 'the mail after the withheld one' });
    expect(await platform.mailsTo(email)).toEqual([]);
  });
});
