import { PermanentError, PlatformError, RetriableError } from '@platform/contracts';

/** Stable codes of the errors this consumer throws; dead-letter headers and runbooks key on them. */
export const SmtpErrorCode = {
  /** We could not reach or keep talking to the server (DNS, refused, reset, timeout), or it answered 421. */
  Unavailable: 'SMTP_UNAVAILABLE',
  /** The server answered 4yz: greylisting, mailbox busy, rate limit. It asks us to come back later. */
  TemporaryFailure: 'SMTP_TEMPORARY_FAILURE',
  /** The server answered 5yz: unknown mailbox, policy rejection, bad credentials. */
  Rejected: 'SMTP_REJECTED',
  /** Nodemailer refused the message before sending (no recipient, bad address). */
  InvalidMessage: 'SMTP_INVALID_MESSAGE',
  /** Anything else; treated as retriable so a fixed and redeployed bug still delivers. */
  Unclassified: 'SMTP_UNCLASSIFIED',
  /** A mail waiting for the circuit breaker was let go because the consumer is shutting down. */
  CircuitOpen: 'SMTP_CIRCUIT_OPEN',
} as const;

/** Nodemailer's own codes for a connection that failed or broke, plus the Node socket errors beneath them. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROXY',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Nodemailer codes meaning the message itself is unsendable, whatever the server says. */
const INVALID_MESSAGE_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS']);

interface SmtpFailure {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

/**
 * Decides what a failed send means for the record. A reply code, when there is one, is the
 * server's own verdict and wins (RFC 5321: 4yz transient, 5yz permanent; 421 is the server saying
 * it is going away, so it counts as unavailable); 503 "bad sequence" is
 * the one 5yz that a fresh connection cures, as nodemailer itself treats it. Without a reply code
 * the transport's error code tells connection trouble (retry) from an unsendable message (DLT).
 */
export function classifySmtpError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure;
  const detail = describe(failure, error);
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;

  if (responseCode !== undefined) {
    if (responseCode === 421) {
      // "Service not available, closing channel": about the server, not this message.
      return new RetriableError(`SMTP server unavailable: ${detail}`, SmtpErrorCode.Unavailable, error);
    }
    if (responseCode >= 400 && responseCode < 500) {
      return new RetriableError(`SMTP server deferred the message: ${detail}`, SmtpErrorCode.TemporaryFailure, error);
    }
    if (responseCode === 503) {
      return new RetriableError(`SMTP session out of sequence: ${detail}`, SmtpErrorCode.TemporaryFailure, error);
    }
    if (responseCode >= 500 && responseCode < 600) {
      return new PermanentError(`SMTP server rejected the message: ${detail}`, SmtpErrorCode.Rejected, error);
    }
  }
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  if (code && CONNECTION_CODES.has(code)) {
    return new RetriableError(`SMTP server unavailable: ${detail}`, SmtpErrorCode.Unavailable, error);
  }
  if (code && INVALID_MESSAGE_CODES.has(code)) {
    return new PermanentError(`message cannot be sent: ${detail}`, SmtpErrorCode.InvalidMessage, error);
  }
  return new RetriableError(`unclassified SMTP failure: ${detail}`, SmtpErrorCode.Unclassified, error);
}

/**
 * True when a classified failure says the server itself is down rather than that this message
 * failed: what the circuit breaker counts. A 4yz for one mailbox (greylisting, a full mailbox)
 * says the server is up.
 */
export function meansServerDown(error: PlatformError): boolean {
  return error.code === SmtpErrorCode.Unavailable;
}

function describe(failure: SmtpFailure, error: unknown): string {
  const parts = [
    typeof failure.code === 'string' ? failure.code : undefined,
    typeof failure.responseCode === 'number' ? String(failure.responseCode) : undefined,
    typeof failure.response === 'string' ? failure.response : typeof failure.message === 'string' ? failure.message : String(error),
  ];
  return parts.filter(Boolean).join(' ');
}
