import { RetriableError } from '@platform/contracts';
import { createTransport } from 'nodemailer';
import type { SmtpConfig } from '../config';
import { SmtpErrorCode } from './smtp-error-classifier';

/** The one thing the welcome handler needs from a mail transport; nodemailer's Transporter has it. */
export interface MailTransport {
  sendMail(message: OutgoingMail): Promise<unknown>;
}

export interface OutgoingMail {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
}

export interface ClosableMailTransport extends MailTransport {
  /** Connects, greets and authenticates without sending: the circuit breaker's probe. */
  verify(): Promise<unknown>;
  close(): void;
}

/**
 * A pooled SMTP transport: a consumer sends a steady trickle, and reusing connections spares the
 * server a TCP and TLS handshake per mail. Timeouts are bounded so a hung server turns into an
 * ETIMEDOUT (retriable) well before the consumer's session times out, and every send has an
 * overall deadline besides (see withSendDeadline).
 */
export function createSmtpTransport(smtp: SmtpConfig): ClosableMailTransport {
  const transport = createTransport({
    pool: true,
    maxConnections: 2,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: smtp.connectionTimeoutMs,
    greetingTimeout: smtp.connectionTimeoutMs,
    socketTimeout: smtp.socketTimeoutMs,
  });
  return {
    sendMail: withSendDeadline((mail) => transport.sendMail(mail), smtp.sendDeadlineMs),
    verify: () => transport.verify(),
    close: () => transport.close(),
  };
}

/**
 * Bounds one send in all. nodemailer's timeouts are per step (connect, greeting) and per silence
 * (socket): a server that answers a byte at a time, or a send queued behind a stuck one in the
 * pool, is under none of them and would hold the record, and the partition behind it, without
 * end. Past the deadline the send counts as the server being unavailable: retried, and counted
 * by the circuit breaker. The abandoned send may still complete; its retry carries the same
 * Message-ID, which is how a duplicate is folded into the first (see WelcomeMailHandler).
 */
export function withSendDeadline<T>(send: (mail: OutgoingMail) => Promise<T>, deadlineMs: number): (mail: OutgoingMail) => Promise<T> {
  return (mail) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RetriableError(`SMTP send did not finish within ${deadlineMs} ms`, SmtpErrorCode.Unavailable)),
        deadlineMs,
      );
      send(mail).then(
        (info) => (clearTimeout(timer), resolve(info)),
        (error: unknown) => (clearTimeout(timer), reject(error)),
      );
    });
}
