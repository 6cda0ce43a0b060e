import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CloudEventHeader, DeadLetterHeader, EventType, createEnvelope } from '@platform/contracts';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ConsumerHarness, startConsumer } from '@platform/consumer-runtime/testing';
import { readTopic, testKafka, waitFor } from '@platform/testing';
import { SmtpCircuitBreaker } from './breaker/smtp-circuit-breaker';
import { WelcomeEmailModule } from './welcome-email.module';
import { ClosableMailTransport, createSmtpTransport } from './welcome/smtp-transport';
import { WelcomeMailHandler } from './welcome/welcome-mail.handler';

function created(email: string) {
  const accountId = randomUUID();
  return createEnvelope({
    type: EventType.AccountCreated,
    source: 'urn:platform:accounts',
    subject: accountId,
    data: {
      accountId,
      email,
      displayName: 'Tomás Ruiz',
      locale: 'es-MX',
      plan: 'free',
      externalId: null,
      signupContext: { ip: '203.0.113.9', userAgent: null },
      createdAt: new Date().toISOString(),
    },
  });
}

describe('welcome-email module on the consumer runtime', () => {
  const received: ParsedMail[] = [];
  let smtp: SMTPServer;
  let transport: ClosableMailTransport;
  let harness: ConsumerHarness;
  let breaker: SmtpCircuitBreaker;
  // Stands in for the account status guard; its own int-spec covers the table and the feed.
  const suspended = new Set<string>();

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('unknown')) return callback(Object.assign(new Error('5.1.1 User unknown'), { responseCode: 550 }));
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    transport = createSmtpTransport({ host: '127.0.0.1', port, secure: false, connectionTimeoutMs: 2_000, socketTimeoutMs: 5_000, sendDeadlineMs: 10_000 });
    breaker = new SmtpCircuitBreaker({ failureThreshold: 3, probeIntervalMs: 100 }, () => transport.verify());
    const accounts = { mailBlockedBy: async (accountId: string) => (suspended.has(accountId) ? ('suspended' as const) : undefined) };
    const handler = new WelcomeMailHandler(
      transport,
      {
        from: 'welcome@acme.example',
        messageIdDomain: 'welcome-email.acme.example',
        appBaseUrl: 'https://app.acme.example/',
        productName: 'Acme',
      },
      { breaker, accounts },
    );
    harness = await startConsumer('welcome-email', WelcomeEmailModule.register(handler));
  });

  afterAll(async () => {
    breaker?.stop();
    await harness?.close();
    transport?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('sends the welcome mail for an account.created.v1 record', async () => {
    const event = created('tomas.ruiz@example.mx');
    await harness.publish(event);
    const mail = await waitFor(() => received.find((m) => m.messageId === `<${event.id}@welcome-email.acme.example>`), { what: 'the welcome mail' });
    expect(mail.subject).toBe('Te damos la bienvenida a Acme');
  });

  it('processes the record of a suspended account without sending it', async () => {
    const event = created('suspended.before.mail@example.mx');
    suspended.add(event.data.accountId);
    const control = created('control.after.suspended@example.mx');
    await harness.publish(event);
    await harness.publish(control);
    // One partition, in order: once the later record's mail is there, the earlier one was handled.
    await waitFor(() => received.find((m) => m.messageId === `<${control.id}@welcome-email.acme.example>`), { what: 'the control mail' });
    expect(received.filter((m) => m.messageId === `<${event.id}@welcome-email.acme.example>`)).toHaveLength(0);
  });

  it('dead-letters the record at once when the server rejects the mailbox', async () => {
    const event = created('unknown.user@example.mx');
    await harness.publish(event);
    const dead = await waitFor(
      async () => (await readTopic(testKafka('welcome-it-reader'), harness.deadLetter)).find((r) => r.headers[CloudEventHeader.Id] === event.id),
      { what: 'the dead letter', timeoutMs: 20_000 },
    );
    expect(dead.headers[DeadLetterHeader.ErrorCode]).toBe('SMTP_REJECTED');
    expect(dead.headers[DeadLetterHeader.ErrorClass]).toBe('PermanentError');
  });
});
