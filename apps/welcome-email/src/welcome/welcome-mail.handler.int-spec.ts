import { AddressInfo, Socket, createServer as createNetServer } from 'node:net';
import { EventType, PermanentError, RetriableError, createEnvelope } from '@platform/contracts';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { waitFor } from '@platform/testing';
import type { AccountStatusLookup, MailBlockingStatus } from '../account-status/account-status-store';
import { SmtpCircuitBreaker } from '../breaker/smtp-circuit-breaker';
import { SmtpCircuitOpenError } from '../breaker/smtp-circuit-open-error';
import { SmtpErrorCode } from './smtp-error-classifier';
import { ClosableMailTransport, createSmtpTransport } from './smtp-transport';
import { WelcomeMailHandler, WelcomeOutcome } from './welcome-mail.handler';

const settings = {
  from: '"Acme Cloud" <welcome@acme.example>',
  messageIdDomain: 'welcome-email.acme.example',
  appBaseUrl: 'https://app.acme.example/',
  productName: 'Acme Cloud',
};

function createdEvent(overrides: { email?: string; displayName?: string; locale?: string } = {}) {
  return createEnvelope({
    type: EventType.AccountCreated,
    source: 'urn:platform:accounts',
    subject: '6f1c2a9e-3b7d-4c1e-9a53-2d8f0b7e4c11',
    data: {
      accountId: '6f1c2a9e-3b7d-4c1e-9a53-2d8f0b7e4c11',
      email: overrides.email ?? 'jeanne.dupont@example.org',
      displayName: overrides.displayName ?? 'Jeanne <Dupont>',
      locale: overrides.locale ?? 'fr-FR',
      plan: 'free',
      externalId: null,
      signupContext: { ip: '198.51.100.23', userAgent: 'Mozilla/5.0' },
      createdAt: new Date().toISOString(),
    },
  });
}

/** A real SMTP server on a free port; no STARTTLS, so the client does not try to upgrade to its self-signed cert. */
async function startServer(options: Partial<SMTPServerOptions>): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port };
}

function transportTo(port: number, sendDeadlineMs = 10_000): ClosableMailTransport {
  return createSmtpTransport({ host: '127.0.0.1', port, secure: false, connectionTimeoutMs: 2_000, socketTimeoutMs: 5_000, sendDeadlineMs });
}

/**
 * An SMTP server that takes the whole mail and then answers it a line every 200 ms, for ever
 * (`250-` continuation lines): the socket is never silent, so no timeout of nodemailer's fires.
 */
async function startTricklingServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const timers: NodeJS.Timeout[] = [];
    socket.on('close', () => timers.forEach(clearInterval));
    socket.on('error', () => undefined);
    let inData = false;
    socket.write('220 trickle ESMTP\r\n');
    socket.on('data', (chunk) => {
      for (const line of chunk.toString('latin1').split('\r\n').filter((l) => l !== '')) {
        if (inData) {
          if (line === '.') timers.push(setInterval(() => socket.write('250-still thinking\r\n'), 200));
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 trickle\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    // The client's pooled connection may outlive its transport's close(): cut every one, or its
    // trickle would keep the test process alive.
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The guard as the handler sees it; the tests set what it says about the account. */
function guard(): AccountStatusLookup & { status?: MailBlockingStatus; asked: number } {
  const lookup = {
    status: undefined as MailBlockingStatus | undefined,
    asked: 0,
    mailBlockedBy: async () => {
      lookup.asked += 1;
      return lookup.status;
    },
  };
  return lookup;
}

function handlerFor(transport: ClosableMailTransport, options: { threshold?: number; accounts?: AccountStatusLookup } = {}) {
  const breaker = new SmtpCircuitBreaker({ failureThreshold: options.threshold ?? 3, probeIntervalMs: 50 }, () => transport.verify());
  return { breaker, handler: new WelcomeMailHandler(transport, settings, { breaker, accounts: options.accounts ?? guard() }) };
}

/** Collects what a server receives, by envelope recipient. */
function collector() {
  const received: { envelopeTo: string[]; mail: ParsedMail }[] = [];
  const onData: SMTPServerOptions['onData'] = (stream, session, callback) => {
    simpleParser(stream)
      .then((mail) => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
        callback();
      })
      .catch(callback);
  };
  return { received, onData };
}

/** A port nothing listens on: bound once, then released. */
async function freePort(): Promise<number> {
  const started = await startServer({});
  await new Promise<void>((resolve) => started.server.close(() => resolve()));
  return started.port;
}

async function listenOn(port: number, options: Partial<SMTPServerOptions>): Promise<SMTPServer> {
  const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, ...options });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('WelcomeMailHandler over a real SMTP server', () => {
  let server: SMTPServer | undefined;
  let transport: ClosableMailTransport | undefined;

  afterEach(async () => {
    transport?.close();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    transport = undefined;
  });

  it('delivers a localised mail with both parts, the escaped name and a Message-ID from the event id', async () => {
    const received: { envelopeTo: string[]; mail: ParsedMail }[] = [];
    const started = await startServer({
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
            callback();
          })
          .catch(callback);
      },
    });
    server = started.server;
    transport = transportTo(started.port);
    const event = createdEvent();

    const sent = (await handlerFor(transport).handler.handle(event)) as Extract<WelcomeOutcome, { kind: 'sent' }>;

    expect(sent.kind).toBe('sent');
    expect(sent.messageId).toBe(`<${event.id}@welcome-email.acme.example>`);
    expect(received).toHaveLength(1);
    const { envelopeTo, mail } = received[0];
    expect(envelopeTo).toEqual(['jeanne.dupont@example.org']);
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.value).toEqual([{ address: 'jeanne.dupont@example.org', name: 'Jeanne <Dupont>' }]);
    expect(mail.from?.value[0].address).toBe('welcome@acme.example');
    expect(mail.messageId).toBe(`<${event.id}@welcome-email.acme.example>`);
    expect(mail.subject).toBe('Bienvenue sur Acme Cloud');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain('Bonjour Jeanne <Dupont>,');
    expect(mail.text).toContain('https://app.acme.example/app?lang=fr');
    expect(mail.html).toContain('Bonjour Jeanne &lt;Dupont&gt;,');
    expect(mail.html).toContain('href="https://app.acme.example/app?lang=fr"');
  });

  it('turns a 550 from the server into PermanentError SMTP_REJECTED', async () => {
    const started = await startServer({
      onRcptTo(address, _session, callback) {
        const error = Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 });
        callback(error);
      },
    });
    server = started.server;
    transport = transportTo(started.port);

    const attempt = handlerFor(transport).handler.handle(createdEvent({ email: 'nobody@example.org' }));

    await expect(attempt).rejects.toBeInstanceOf(PermanentError);
    await expect(attempt).rejects.toMatchObject({ code: SmtpErrorCode.Rejected });
  });

  it('turns a 451 from the server into RetriableError SMTP_TEMPORARY_FAILURE', async () => {
    const started = await startServer({
      onMailFrom(_address, _session, callback) {
        callback(Object.assign(new Error('4.7.1 Greylisted, please try again later'), { responseCode: 451 }));
      },
    });
    server = started.server;
    transport = transportTo(started.port);

    const attempt = handlerFor(transport).handler.handle(createdEvent());

    await expect(attempt).rejects.toBeInstanceOf(RetriableError);
    await expect(attempt).rejects.toMatchObject({ code: SmtpErrorCode.TemporaryFailure });
  });

  it('turns a refused connection into RetriableError SMTP_UNAVAILABLE while the circuit is still closed', async () => {
    transport = transportTo(await freePort());
    const { breaker, handler } = handlerFor(transport, { threshold: 3 });

    const attempt = handler.handle(createdEvent());

    await expect(attempt).rejects.toBeInstanceOf(RetriableError);
    await expect(attempt).rejects.toMatchObject({ code: SmtpErrorCode.Unavailable });
    expect(breaker.current).toBe('closed');
    breaker.stop();
  });

  it('gives up on a send that the server answers a byte at a time, at the overall deadline, as SMTP_UNAVAILABLE', async () => {
    const trickling = await startTricklingServer();
    try {
      transport = transportTo(trickling.port, 1_000);
      const { breaker, handler } = handlerFor(transport, { threshold: 3 });
      const started = performance.now();
      const attempt = handler.handle(createdEvent());
      await expect(attempt).rejects.toBeInstanceOf(RetriableError);
      await expect(attempt).rejects.toMatchObject({ code: SmtpErrorCode.Unavailable, message: 'SMTP send did not finish within 1000 ms' });
      const tookMs = performance.now() - started;
      // Far inside the 5 s socket timeout, which the trickle would never have tripped anyway.
      expect(tookMs).toBeGreaterThanOrEqual(950);
      expect(tookMs).toBeLessThan(3_000);
      breaker.stop();
    } finally {
      transport?.close();
      transport = undefined;
      await trickling.stop();
    }
  });

  it('waits while the server is down once the circuit opens, and delivers exactly once when it is back', async () => {
    const port = await freePort();
    transport = transportTo(port);
    const { breaker, handler } = handlerFor(transport, { threshold: 1 });
    const event = createdEvent();

    const sending = handler.handle(event);
    await waitFor(() => breaker.current === 'open', { what: 'the circuit to open' });
    // Still waiting: a few probes fail meanwhile, and the attempt neither fails nor returns.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { received, onData } = collector();
    server = await listenOn(port, { onData });

    await expect(sending).resolves.toMatchObject({ kind: 'sent', messageId: `<${event.id}@welcome-email.acme.example>` });
    expect(received).toHaveLength(1);
    expect(breaker.current).toBe('closed');
  });

  it('withholds the mail of a suspended account, and does not send it after waiting for the server either', async () => {
    const { received, onData } = collector();
    const started = await startServer({ onData });
    server = started.server;
    transport = transportTo(started.port);
    const accounts = guard();
    accounts.status = 'suspended';
    await expect(handlerFor(transport, { accounts }).handler.handle(createdEvent())).resolves.toEqual({ kind: 'withheld', status: 'suspended' });

    // Down, then the account is closed while the send waits, then back: the guard is asked again.
    await new Promise<void>((resolve) => started.server.close(() => resolve()));
    server = undefined;
    accounts.status = undefined;
    const { breaker, handler } = handlerFor(transport, { threshold: 1, accounts });
    const sending = handler.handle(createdEvent({ email: 'late.closer@example.org' }));
    await waitFor(() => breaker.current === 'open', { what: 'the circuit to open' });
    accounts.status = 'closed';
    server = await listenOn(started.port, { onData });

    await expect(sending).resolves.toEqual({ kind: 'withheld', status: 'closed' });
    expect(received).toHaveLength(0);
    expect(accounts.asked).toBe(3);
  });

  it('lets a waiting send go with SMTP_CIRCUIT_OPEN when the consumer stops', async () => {
    transport = transportTo(await freePort());
    const { breaker, handler } = handlerFor(transport, { threshold: 1 });
    const sending = handler.handle(createdEvent());
    await waitFor(() => breaker.current === 'open', { what: 'the circuit to open' });
    breaker.stop();
    await expect(sending).rejects.toBeInstanceOf(SmtpCircuitOpenError);
  });
});
