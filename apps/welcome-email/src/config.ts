import type { EnvReader } from '@platform/config';
import { DEFAULT_RETRY_POLICY, RetentionSettings, RetryPolicy, readRetention } from '@platform/consumer-runtime';
import type { CircuitBreakerSettings } from './breaker/smtp-circuit-breaker';

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** true = implicit TLS (port 465); false = plain, upgraded by STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly connectionTimeoutMs: number;
  readonly socketTimeoutMs: number;
  /** The most one send may take in all: a server that answers a byte at a time never trips the socket timeout. */
  readonly sendDeadlineMs: number;
}

export interface WelcomeMailSettings {
  /** RFC 5322 From, e.g. `"Acme" <welcome@acme.example>`. */
  readonly from: string;
  /** Right-hand side of our Message-IDs: `welcome-email.<domain of MAIL_FROM>`. */
  readonly messageIdDomain: string;
  /** Every link in the mail is built from this, so staging mails never point at production. */
  readonly appBaseUrl: string;
  readonly productName: string;
}

/** welcome-email's own settings; the runtime reads Kafka, the inbox database, health and logging. */
export interface WelcomeEmailSettings {
  /** The runtime's in-process retries (RETRY_ATTEMPTS), handed to the server as they are. */
  readonly retry: RetryPolicy;
  readonly smtp: SmtpConfig;
  readonly mail: WelcomeMailSettings;
  readonly breaker: CircuitBreakerSettings;
  /** The suspended/closed guard's table: how long its rows are kept and how often that is enforced. */
  readonly accountStatus: RetentionSettings;
}

/** The inbox (processed_events) lives in this schema of DATABASE_URL. */
export const INBOX_SCHEMA = 'welcome_email';
/** Its health port in the local stack, when HEALTH_PORT is not set. */
export const DEFAULT_HEALTH_PORT = 3201;

/** The address inside MAIL_FROM, whether given bare or as `Name <address>`. */
function mailFromDomain(from: string): string | undefined {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  const match = /^[^\s@<>]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,}|localhost)$/.exec(address.trim());
  return match?.[1].toLowerCase();
}

export function readWelcomeEmailSettings(reader: EnvReader): WelcomeEmailSettings {
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, attempts: reader.int('RETRY_ATTEMPTS', DEFAULT_RETRY_POLICY.attempts, { min: 1, max: 10 }) };
  const user = reader.optionalString('SMTP_USER');
  const password = reader.optionalString('SMTP_PASSWORD');
  const smtp: SmtpConfig = {
    host: reader.string('SMTP_HOST', '127.0.0.1'),
    port: reader.int('SMTP_PORT', 1025, { min: 1, max: 65535 }),
    secure: reader.bool('SMTP_SECURE', false),
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    connectionTimeoutMs: reader.int('SMTP_CONNECTION_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
    socketTimeoutMs: reader.int('SMTP_SOCKET_TIMEOUT_MS', 30_000, { min: 100, max: 300_000 }),
    // A welcome mail is accepted in well under a second; a minute is a server that is not working.
    sendDeadlineMs: reader.int('SMTP_SEND_DEADLINE_MS', 60_000, { min: 100, max: 600_000 }),
  };
  const from = reader.string('MAIL_FROM', '"Account Platform" <welcome@platform.example>');
  const domain = mailFromDomain(from);
  const appBaseUrl = reader.url('APP_BASE_URL', 'http://localhost:3000/');
  const productName = reader.string('PRODUCT_NAME', 'Account Platform');
  const breaker: CircuitBreakerSettings = {
    // At most the runtime's in-process attempts, so the first record to meet an outage opens the
    // circuit and waits instead of being handed to a retry topic.
    failureThreshold: reader.int('SMTP_BREAKER_FAILURE_THRESHOLD', retry.attempts, { min: 1, max: retry.attempts }),
    probeIntervalMs: reader.int('SMTP_BREAKER_PROBE_INTERVAL_MS', 5_000, { min: 50, max: 300_000 }),
  };
  // Kept as long as a created event can still be waiting to be mailed: the redelivery window, as the inbox.
  const accountStatus = readRetention(reader, { days: 'ACCOUNT_STATUS_RETENTION_DAYS', minutes: 'ACCOUNT_STATUS_PRUNE_INTERVAL_MINUTES' });
  if (!domain) reader.problem(`MAIL_FROM must be an address or "Name <address>", got ${JSON.stringify(from)}`);
  if (user && !password) reader.problem('SMTP_PASSWORD is required when SMTP_USER is set');
  if (appBaseUrl && !/^https?:/.test(appBaseUrl)) reader.problem(`APP_BASE_URL must be http(s), got ${JSON.stringify(appBaseUrl)}`);
  return {
    retry,
    smtp,
    mail: { from, messageIdDomain: `welcome-email.${domain}`, appBaseUrl, productName },
    breaker,
    accountStatus,
  };
}
