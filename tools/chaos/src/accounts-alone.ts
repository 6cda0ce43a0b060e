import { join } from 'node:path';
import { APPS, ROOT, SERVICE_DATABASES, ServiceDatabase, StackSettings, healthUrl, issueApiKey, migrateAccounts, startApp, waitForHealthy } from '@platform/dev-stack';
import { freePort } from '@platform/testing';

export interface AccountsAloneOptions {
  /** Names the run's API key client and its log folder under .local/chaos. */
  readonly run: string;
  readonly databaseName: string;
  readonly serverUrl: string;
  readonly poolSize: number;
  /** BACKPRESSURE_MAX_POOL_WAITERS; 0 keeps the service's default. */
  readonly maxPoolWaiters?: number;
  /** BACKPRESSURE_MAX_IN_FLIGHT; 0 keeps the service's default. */
  readonly maxInFlight?: number;
}

export interface AccountsAlone {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

/**
 * The accounts service alone (HTTP only, inbox off, no relay: the outbox keeps every event, so
 * nothing is lost on the way to Kafka without being seen), as its own process started as
 * tools/dev/stack.ts starts it, with an API key whose rate limit is far above any offered load.
 * The outbox-backlog limit is lifted, since no relay drains it.
 */
export async function startAccountsAlone({ run, databaseName, serverUrl, poolSize, maxPoolWaiters, maxInFlight }: AccountsAloneOptions): Promise<AccountsAlone> {
  const port = 29_000 + Math.floor(Math.random() * 900);
  const metricsPort = await freePort();
  const settings: StackSettings = {
    pgServerUrl: serverUrl,
    databases: Object.fromEntries(SERVICE_DATABASES.map((db) => [db, databaseName])) as Record<ServiceDatabase, string>,
    // Unused: with the inbox off the service does not talk to Kafka.
    kafkaBrokers: '127.0.0.1:1',
    smtp: { host: '127.0.0.1', port: 1 },
    ports: Object.fromEntries(APPS.map((app, i) => [app, port + i])) as StackSettings['ports'],
    // The service's own request-duration histogram: latency as the service saw it (see serverP99).
    metricsPorts: Object.fromEntries(APPS.map((app, i) => [app, i === 0 ? metricsPort : metricsPort + 100 + i])) as StackSettings['ports'],
    appBaseUrl: 'http://app.example.test',
    extraEnv: { ACCOUNTS_INBOX_ENABLED: 'false', DATABASE_POOL_SIZE: String(poolSize), BACKPRESSURE_MAX_OUTBOX_BACKLOG: '100000000',
      ...(maxPoolWaiters ? { BACKPRESSURE_MAX_POOL_WAITERS: String(maxPoolWaiters) } : {}),
      ...(maxInFlight ? { BACKPRESSURE_MAX_IN_FLIGHT: String(maxInFlight) } : {}),
    },
  };
  await migrateAccounts(settings);
  const { key: apiKey } = await issueApiKey(settings, `${run}-run`, ['accounts:write', 'accounts:read'], 1_000_000);
  const logDir = join(ROOT, '.local', 'chaos', `${run}-logs`);
  const child = startApp('accounts', settings, logDir);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHealthy(healthUrl('accounts', settings), `accounts (log ${join(logDir, 'accounts.log')})`, 90_000, () => child.exitCode === null);
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiKey, baseUrl: `http://127.0.0.1:${settings.ports.accounts}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, stop };
}
