import { ConfigError } from '@platform/config';
import { readConsumerConfig } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { DEFAULT_HEALTH_PORT, INBOX_SCHEMA, readWelcomeEmailSettings } from './config';

// As main.ts hands it to runConsumer: the runtime's part and welcome-email's settings side by side.
function readWelcomeEmailConfig(env: Record<string, string>) {
  const { runtime, settings } = readConsumerConfig(env, {
    consumer: consumerDeclaration(Consumer.WelcomeEmail),
    inboxSchema: INBOX_SCHEMA,
    healthPort: DEFAULT_HEALTH_PORT,
    settings: readWelcomeEmailSettings,
  });
  return { ...runtime, ...settings };
}

describe('welcome-email configuration', () => {
  it('has working defaults for the local stack', () => {
    const config = readWelcomeEmailConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/welcome_email');
    expect(config.inboxSchema).toBe('welcome_email');
    expect(config.health.port).toBe(3201);
    expect(config.smtp).toMatchObject({ host: '127.0.0.1', port: 1025, secure: false, sendDeadlineMs: 60_000 });
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.mail.messageIdDomain).toBe('welcome-email.platform.example');
    expect(config.breaker).toEqual({ failureThreshold: 3, probeIntervalMs: 5_000 });
    // Dead-letter retention (28 days) plus the lifecycle topic's (7 days): as long as a created event can wait.
    expect(config.accountStatus).toEqual({ retentionMs: 35 * 86_400_000, pruneIntervalMs: 3_600_000 });
  });

  it('reads the circuit breaker and guard settings, keeping the threshold within the in-process attempts', () => {
    const config = readWelcomeEmailConfig({
      SMTP_BREAKER_FAILURE_THRESHOLD: '2',
      SMTP_BREAKER_PROBE_INTERVAL_MS: '250',
      ACCOUNT_STATUS_RETENTION_DAYS: '40',
      ACCOUNT_STATUS_PRUNE_INTERVAL_MINUTES: '15',
    });
    expect(config.breaker).toEqual({ failureThreshold: 2, probeIntervalMs: 250 });
    expect(config.accountStatus).toEqual({ retentionMs: 40 * 86_400_000, pruneIntervalMs: 900_000 });
    expect(() => readWelcomeEmailConfig({ SMTP_BREAKER_FAILURE_THRESHOLD: '4' })).toThrow(/SMTP_BREAKER_FAILURE_THRESHOLD/);
  });

  it('bounds the breaker threshold by the retry attempts the runtime is given, not the default ones', () => {
    const config = readWelcomeEmailConfig({ RETRY_ATTEMPTS: '5' });
    expect(config.retry).toEqual({ attempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 });
    expect(config.breaker.failureThreshold).toBe(5);
    expect(readWelcomeEmailConfig({ RETRY_ATTEMPTS: '5', SMTP_BREAKER_FAILURE_THRESHOLD: '4' }).breaker.failureThreshold).toBe(4);
    expect(() => readWelcomeEmailConfig({ RETRY_ATTEMPTS: '2', SMTP_BREAKER_FAILURE_THRESHOLD: '3' })).toThrow(/SMTP_BREAKER_FAILURE_THRESHOLD/);
  });

  it('reads the inbox retention, and fails start-up naming a bad INBOX_RETENTION_DAYS', () => {
    expect(readWelcomeEmailConfig({ INBOX_RETENTION_DAYS: '2' }).inboxRetention.retentionMs).toBe(2 * 86_400_000);
    expect(() => readWelcomeEmailConfig({ INBOX_RETENTION_DAYS: 'forever' })).toThrow(ConfigError);
    expect(() => readWelcomeEmailConfig({ INBOX_RETENTION_DAYS: 'forever' })).toThrow(/INBOX_RETENTION_DAYS/);
  });

  it('derives the Message-ID domain from MAIL_FROM and reads SMTP credentials', () => {
    const config = readWelcomeEmailConfig({
      MAIL_FROM: 'Acme <hello@Mail.Acme.example>',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 's3cret',
      SMTP_SECURE: 'true',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(config.mail.messageIdDomain).toBe('welcome-email.mail.acme.example');
    expect(config.smtp).toMatchObject({ user: 'mailer', password: 's3cret', secure: true });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it('reports every problem at once', () => {
    let thrown: unknown;
    try {
      readWelcomeEmailConfig({ SMTP_PORT: 'smtp', MAIL_FROM: 'not an address', SMTP_USER: 'mailer', APP_BASE_URL: 'ftp://x' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text = (thrown as ConfigError).problems.join('\n');
    expect(text).toMatch(/SMTP_PORT/);
    expect(text).toMatch(/MAIL_FROM/);
    expect(text).toMatch(/SMTP_PASSWORD/);
    expect(text).toMatch(/APP_BASE_URL/);
  });

  it("names the runtime's bad variables and its own in the same ConfigError", () => {
    expect(() => readWelcomeEmailConfig({ HEALTH_PORT: 'http', SMTP_PORT: 'smtp' })).toThrow(/HEALTH_PORT[\s\S]*SMTP_PORT/);
  });
});
