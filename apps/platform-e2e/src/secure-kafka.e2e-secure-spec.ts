import { Kafka, logLevel } from 'kafkajs';
import { CloudEventHeader, EventType, Topic, allTopics } from '@platform/contracts';
import { APPS, StackSettings, appEnv, runToCompletion } from '@platform/dev-stack';
import { freePort, readTopic, testKafkaSecurity, waitFor } from '@platform/testing';
import { platformClient, uniqueEmail } from './support/platform-client';
import { SECURE_KAFKA_PORT, readSecureClientEnv } from './support/secure-broker';
import { E2eStack, readStack } from './support/stack-file';

/**
 * The platform started by jest.secure.config.js talks to a broker that has only a SASL_SSL
 * listener (SCRAM-SHA-512 over TLS, a CA of its own): every app, the ops CLI and these clients
 * connect through the KAFKA_SSL / KAFKA_SASL_* configuration, and nothing else gets in.
 */
describe('the platform over Kafka with SASL/SCRAM over TLS', () => {
  let stack: E2eStack;
  let clientEnv: Record<string, string>;
  beforeAll(() => {
    stack = readStack();
    clientEnv = readSecureClientEnv();
  });

  /** A client as the apps make it, from env; `overrides` changes one setting (a wrong password). */
  const kafka = (clientId: string, overrides: Record<string, string | undefined> = {}) =>
    new Kafka({
      clientId,
      brokers: stack.kafkaBrokers,
      ...testKafkaSecurity({ ...clientEnv, ...overrides }),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 0 },
    });

  const connectAndDescribe = async (client: Kafka) => {
    const admin = client.admin();
    try {
      await admin.connect();
      return await admin.describeCluster();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };

  it('runs against the secure broker, with TLS and SCRAM-SHA-512 from configuration', async () => {
    expect(stack.kafkaBrokers).toEqual([`127.0.0.1:${SECURE_KAFKA_PORT}`]);
    expect(clientEnv).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'platform' });
    const cluster = await connectAndDescribe(kafka('e2e-secure-probe'));
    expect(cluster.brokers).toEqual([expect.objectContaining({ host: '127.0.0.1', port: SECURE_KAFKA_PORT })]);
  });

  it('applies the contracts’ topics with `ops topics apply --execute` over SASL_SSL', async () => {
    // Global setup applied them already, through the same CLI and environment; a second run finds nothing to do.
    const output = await runToCompletion('apps/ops/src/main.ts', ['topics', 'apply', '--execute'], clientEnv);
    expect(output).toMatch(/no changes/i);
    const admin = kafka('e2e-secure-topics').admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining(allTopics().map((t) => t.name)));
  });

  it('takes a signup through the relay and the consumers to the welcome mail', async () => {
    const platform = platformClient(stack);
    const email = uniqueEmail('secure.ada');
    const created = await platform.signup({ email, displayName: 'Ada Secure', locale: 'en', signupContext: { ip: '203.0.113.9', userAgent: 'e2e-secure' } });

    const [mail] = await waitFor(async () => {
      const mails = await platform.mailsTo(email);
      return mails.length > 0 && mails;
    }, { what: `the welcome mail to ${email}` });
    expect(mail.subject).toMatch(/welcome/i);
    expect(mail.text).toContain('Ada Secure');

    const settled = await waitFor(async () => {
      const current = await platform.account(created.id);
      return current.abuseVerdict !== null && current.status === 'active' ? current : undefined;
    }, { what: 'the verdict and provisioning to reach accounts' });
    expect(settled).toMatchObject({ abuseVerdict: 'allow', status: 'active', provisioningStatus: 'provisioned' });

    const records = await readTopic(kafka('e2e-secure-reader'), Topic.AccountLifecycle);
    const events = records.filter((r) => r.value?.toString('utf8').includes(created.id)).map((r) => r.headers[CloudEventHeader.Type]);
    expect(events).toContain(EventType.AccountCreated);
    expect(await platform.mailsTo(email)).toHaveLength(1);
  });

  it('refuses a PLAINTEXT client on the secure port', async () => {
    const plain = new Kafka({ clientId: 'e2e-plaintext', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 0 } });
    // The broker reads the client's first bytes as a TLS handshake, fails it and drops the connection.
    await expect(connectAndDescribe(plain)).rejects.toThrow(/closed connection|ECONNRESET|socket hang up/i);
  });

  it('refuses a wrong password and a client that does not trust the broker’s CA', async () => {
    await expect(connectAndDescribe(kafka('e2e-wrong-password', { KAFKA_SASL_PASSWORD: 'not-the-password' }))).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed/,
    );
    await expect(connectAndDescribe(kafka('e2e-unknown-user', { KAFKA_SASL_USERNAME: 'mallory' }))).rejects.toThrow(/authentication failed/);
    // Without KAFKA_SSL_CA_FILE the client trusts only the system roots, which never signed this broker.
    await expect(connectAndDescribe(kafka('e2e-untrusted-ca', { KAFKA_SSL_CA_FILE: undefined }))).rejects.toThrow(/certificate/i);
  });

  it('stops the ops CLI and an app that are configured with a wrong password', async () => {
    const wrong = { ...clientEnv, KAFKA_SASL_PASSWORD: 'not-the-password' };
    await expect(runToCompletion('apps/ops/src/main.ts', ['topics', 'apply', '--dry-run'], wrong)).rejects.toThrow(/authentication failed/);

    // abuse-scan connects its publisher before it serves anything: a bad credential stops the start.
    const settings: StackSettings = {
      pgServerUrl: stack.pgServerUrl,
      databases: stack.databases as StackSettings['databases'],
      kafkaBrokers: stack.kafkaBrokers.join(','),
      smtp: { host: '127.0.0.1', port: 1 },
      // Every app listed, so a consumer added by the generator needs no edit here.
      ports: { ...(Object.fromEntries(APPS.map((app) => [app, 0])) as StackSettings['ports']), 'abuse-scan': await freePort() },
      appBaseUrl: 'http://app.example.test',
      extraEnv: { LOG_LEVEL: 'info', KAFKA_SASL_PASSWORD: 'not-the-password' },
    };
    await expect(runToCompletion('apps/abuse-scan/src/main.ts', [], { ...clientEnv, ...appEnv('abuse-scan', settings) })).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed/,
    );
  });
});

