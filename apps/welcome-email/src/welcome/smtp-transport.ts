import { createTransport } from 'nodemailer';
import type { SmtpConfig } from '../config';

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
 * ETIMEDOUT (retriable) well before the consumer's session times out.
 */
export function createSmtpTransport(smtp: SmtpConfig): ClosableMailTransport {
  return createTransport({
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
}
