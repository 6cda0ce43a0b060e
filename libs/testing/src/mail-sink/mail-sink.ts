import { createServer, IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerAddress } from 'smtp-server';
import { renderInbox } from './inbox-page';

export interface ReceivedMail {
  readonly id: number;
  readonly receivedAt: string;
  readonly envelopeFrom: string | null;
  readonly envelopeTo: string[];
  readonly messageId: string | null;
  readonly from: string | null;
  readonly to: string[];
  readonly subject: string | null;
  readonly text: string | null;
  readonly html: string | null;
}

export interface MailSinkOptions {
  host?: string;
  smtpPort?: number;
  /** A web page and JSON API for looking at received mail; omit to run SMTP only. */
  httpPort?: number;
}

/** How long a stopping server lets open connections finish before it answers them 421 and hangs up. */
const CLOSE_GRACE_MS = 250;

/**
 * A real SMTP server that keeps what it receives in memory and shows it on a web page. Tests use
 * it to see exactly what the welcome-email consumer sent, and to make SMTP misbehave (reject a
 * mailbox, go down) without stubbing nodemailer. Tests in another process (the end-to-end specs)
 * do the same through its HTTP API: see serveHttp.
 */
export class MailSink {
  private readonly received: ReceivedMail[] = [];
  private readonly rejections = new Map<string, { code: number; message: string }>();
  private smtp?: SMTPServer;
  private http?: HttpServer;
  private nextId = 1;
  smtpPort = 0;
  httpPort = 0;

  constructor(private readonly options: MailSinkOptions = {}) {}

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  async start(): Promise<this> {
    await this.startSmtp(this.options.smtpPort ?? this.smtpPort);
    if (this.options.httpPort !== undefined) {
      this.http = createServer((req, res) => this.serveHttp(req, res));
      await new Promise<void>((resolve) => this.http!.listen(this.options.httpPort, this.host, resolve));
      this.httpPort = (this.http.address() as AddressInfo).port;
    }
    return this;
  }

  /**
   * Stops accepting SMTP connections (connection refused), keeping the mail received so far. Open
   * connections, such as a client's pooled ones, get 421 and are closed shortly after, as when a
   * real server goes down, so nothing is delivered once this resolves.
   */
  async stopSmtp(): Promise<void> {
    const smtp = this.smtp;
    this.smtp = undefined;
    if (smtp) await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }

  /** Starts SMTP again on the same port after stopSmtp(). */
  async restartSmtp(): Promise<void> {
    if (!this.smtp) await this.startSmtp(this.smtpPort);
  }

  async stop(): Promise<void> {
    await this.stopSmtp();
    const http = this.http;
    this.http = undefined;
    if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  /** True while SMTP accepts connections. */
  get smtpRunning(): boolean {
    return this.smtp !== undefined;
  }

  /** Makes the server answer RCPT TO for this address with an SMTP error, e.g. 550 mailbox unavailable. */
  rejectRecipient(address: string, code = 550, message = 'mailbox unavailable'): void {
    this.rejections.set(address.toLowerCase(), { code, message });
  }

  clearRejections(): void {
    this.rejections.clear();
  }

  messages(): readonly ReceivedMail[] {
    return this.received;
  }

  messagesTo(address: string): ReceivedMail[] {
    const wanted = address.toLowerCase();
    return this.received.filter((m) => m.envelopeTo.some((to) => to.toLowerCase() === wanted));
  }

  clear(): void {
    this.received.length = 0;
  }

  private startSmtp(port: number): Promise<void> {
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      closeTimeout: CLOSE_GRACE_MS,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const rejection = this.rejections.get(address.address.toLowerCase());
        if (!rejection) return callback();
        const error = new Error(rejection.message) as Error & { responseCode: number };
        error.responseCode = rejection.code;
        callback(error);
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            const addresses = (value: typeof mail.to): string[] =>
              (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
            this.received.push({
              id: this.nextId++,
              receivedAt: new Date().toISOString(),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              messageId: mail.messageId ?? null,
              from: mail.from?.text ?? null,
              to: addresses(mail.to),
              subject: mail.subject ?? null,
              text: mail.text ?? null,
              html: typeof mail.html === 'string' ? mail.html : null,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    smtp.on('error', () => undefined);
    this.smtp = smtp;
    return new Promise<void>((resolve, reject) => {
      smtp.server.once('error', reject);
      smtp.listen(port, this.host, () => {
        this.smtpPort = (smtp.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /**
   * GET/DELETE /api/messages (?to=address), GET / (the inbox page), and the controls:
   * GET /api/smtp ({running}), POST /api/smtp/stop, POST /api/smtp/start,
   * POST /api/rejections ({address, code?, message?}), DELETE /api/rejections.
   */
  private serveHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const control = this.control(req.method ?? 'GET', url.pathname);
    if (control) {
      control(req).then(
        (body) => (body === undefined ? res.writeHead(204).end() : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))),
        (error: Error) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message })),
      );
      return;
    }
    if (url.pathname === '/api/messages' && req.method === 'GET') {
      const to = url.searchParams.get('to');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(to ? this.messagesTo(to) : this.received));
      return;
    }
    if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      this.clear();
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderInbox(this.received));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  }

  private control(method: string, path: string): ((req: IncomingMessage) => Promise<unknown>) | undefined {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /api/smtp':
        return async () => ({ running: this.smtpRunning, port: this.smtpPort });
      case 'POST /api/smtp/stop':
        return () => this.stopSmtp();
      case 'POST /api/smtp/start':
        return () => this.restartSmtp();
      case 'POST /api/rejections':
        return async (req) => {
          const body = (await readJson(req)) as { address?: unknown; code?: unknown; message?: unknown };
          if (typeof body.address !== 'string') throw new Error('address is required');
          const code = typeof body.code === 'number' ? body.code : undefined;
          const message = typeof body.message === 'string' ? body.message : undefined;
          this.rejectRecipient(body.address, code, message);
        };
      case 'DELETE /api/rejections':
        return async () => this.clearRejections();
      default:
        return undefined;
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}
