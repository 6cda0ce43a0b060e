import { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MailSink, OtlpReceiver, freePort } from '@platform/testing';
import {
  APPS,
  AppName,
  SERVICE_DATABASES,
  ServiceDatabase,
  StackSettings,
  applyTopics,
  ensureDatabases,
  healthUrl,
  metricsUrl,
  migrateAccounts,
  issueApiKey,
  startApp,
  waitForHealthy,
} from '@platform/dev-stack';
import { E2eStack, STACK_FILE } from './stack-file';

// Shared with global-teardown through the jest parent process, which runs both.
declare global {
  var __PLATFORM__: { sink: MailSink; otlp: OtlpReceiver; children: ChildProcess[]; settings: StackSettings } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const run = randomBytes(3).toString('hex');
  const logDir = join(dirname(STACK_FILE), 'logs');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const sink = await new MailSink({ httpPort: 0 }).start();
  // A real OTLP/HTTP receiver: every app exports its spans here, and the specs read them back.
  const otlp = await new OtlpReceiver().start();
  const base = 3400 + Math.floor(Math.random() * 500) * 10;
  const metricsPorts = {} as Record<AppName, number>;
  for (const app of APPS) metricsPorts[app] = await freePort();
  const settings: StackSettings = {
    pgServerUrl: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    databases: Object.fromEntries(SERVICE_DATABASES.map((db) => [db, `e2e_${run}_${db}`])) as Record<ServiceDatabase, string>,
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092',
    smtp: { host: '127.0.0.1', port: sink.smtpPort },
    ports: { accounts: base, 'accounts-relay': base + 1, 'welcome-email': base + 2, 'abuse-scan': base + 3, provisioning: base + 4 },
    metricsPorts,
    appBaseUrl: 'http://app.example.test',
    extraEnv: {
      LOG_LEVEL: 'info',
      // JSON is what the receiver reads; a short batch delay has spans there soon after the work.
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // The failure specs wait on these: the circuit breaker notices SMTP is back within a fifth of
      // a second, and a step blocked by a test's lock gives up (retriably) in a third.
      SMTP_BREAKER_PROBE_INTERVAL_MS: '200',
      TENANT_LOCK_TIMEOUT_MS: '300',
    },
  };
  await ensureDatabases(settings);
  await migrateAccounts(settings);
  const apiKey = await issueApiKey(settings, 'platform-e2e', ['accounts:admin'], 10_000);
  await applyTopics(settings);
  const children = APPS.map((app) => startApp(app, settings, logDir));
  globalThis.__PLATFORM__ = { sink, otlp, children, settings };
  await Promise.all(
    APPS.map((app, i) =>
      waitForHealthy(healthUrl(app, settings), `${app} (log ${join(logDir, `${app}.log`)})`, 90_000, () => children[i].exitCode === null),
    ),
  );
  const stack: E2eStack = {
    accountsUrl: `http://127.0.0.1:${settings.ports.accounts}`,
    apiKey: apiKey.key,
    mailApiUrl: `http://127.0.0.1:${sink.httpPort}/api/messages`,
    mailSinkUrl: `http://127.0.0.1:${sink.httpPort}`,
    pgServerUrl: settings.pgServerUrl,
    kafkaBrokers: settings.kafkaBrokers.split(','),
    databases: settings.databases,
    logDir,
    otlpUrl: otlp.url,
    metricsUrls: Object.fromEntries(APPS.map((app) => [app, metricsUrl(app, settings)!])),
  };
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  writeFileSync(STACK_FILE, JSON.stringify(stack, null, 2));
}
