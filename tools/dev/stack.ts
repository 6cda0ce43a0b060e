import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * The one description of the local platform: which processes run, on which ports, with which
 * configuration. `npm run up` and the end-to-end tests both start the platform from here, so
 * what developers click through is what the tests prove.
 */
export const ROOT = join(__dirname, '..', '..');

export interface StackSettings {
  /** A PostgreSQL server URL; each service gets its own database on it. */
  readonly pgServerUrl: string;
  /** Database name per service, e.g. { accounts: 'accounts' } or fresh names in tests. */
  readonly databases: Readonly<Record<ServiceDatabase, string>>;
  readonly kafkaBrokers: string;
  readonly smtp: { host: string; port: number };
  readonly ports: Readonly<Record<AppName, number>>;
  /**
   * Each app's Prometheus endpoint (OTEL_EXPORTER_PROMETHEUS_PORT): several apps on one machine
   * cannot all have the default 9464. Without it the apps serve no metrics.
   */
  readonly metricsPorts?: Readonly<Record<AppName, number>>;
  readonly appBaseUrl: string;
  /** Extra environment for every app (log level, OTEL_*, ...). */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export const SERVICE_DATABASES = ['accounts', 'welcome_email', 'abuse_scan', 'provisioning', 'tenants'] as const;
export type ServiceDatabase = (typeof SERVICE_DATABASES)[number];

export const APPS = ['accounts', 'accounts-relay', 'welcome-email', 'abuse-scan', 'provisioning'] as const;
export type AppName = (typeof APPS)[number];

export const DEV_PORTS: Record<AppName, number> = {
  accounts: 3000,
  'accounts-relay': 3100,
  'welcome-email': 3201,
  'abuse-scan': 3202,
  provisioning: 3203,
};

/** The metrics ports of `npm run up`: the exporter's default 9464 for the first app, then one up for each. */
export const DEV_METRICS_PORTS = Object.fromEntries(APPS.map((app, index) => [app, 9464 + index])) as Record<AppName, number>;

export function databaseUrl(settings: StackSettings, database: ServiceDatabase): string {
  const url = new URL(settings.pgServerUrl);
  url.pathname = `/${settings.databases[database]}`;
  return url.toString();
}

/** The environment of each app: the same variables its config.ts documents. */
export function appEnv(app: AppName, s: StackSettings): Record<string, string> {
  const metrics: Record<string, string> = s.metricsPorts ? { OTEL_EXPORTER_PROMETHEUS_PORT: String(s.metricsPorts[app]) } : { OTEL_METRICS_EXPORTER: 'none' };
  const common = { KAFKA_BROKERS: s.kafkaBrokers, HOST: '127.0.0.1', ...metrics, ...s.extraEnv };
  switch (app) {
    case 'accounts':
      return { ...common, PORT: String(s.ports.accounts), DATABASE_URL: databaseUrl(s, 'accounts') };
    case 'accounts-relay':
      return { ...common, RELAY_HEALTH_PORT: String(s.ports['accounts-relay']), DATABASE_URL: databaseUrl(s, 'accounts') };
    case 'welcome-email':
      return {
        ...common,
        HEALTH_PORT: String(s.ports['welcome-email']),
        DATABASE_URL: databaseUrl(s, 'welcome_email'),
        SMTP_HOST: s.smtp.host,
        SMTP_PORT: String(s.smtp.port),
        APP_BASE_URL: s.appBaseUrl,
      };
    case 'abuse-scan':
      return { ...common, HEALTH_PORT: String(s.ports['abuse-scan']), DATABASE_URL: databaseUrl(s, 'abuse_scan') };
    case 'provisioning':
      return {
        ...common,
        HEALTH_PORT: String(s.ports.provisioning),
        DATABASE_URL: databaseUrl(s, 'provisioning'),
        TENANTS_DATABASE_URL: databaseUrl(s, 'tenants'),
      };
  }
}

export function healthUrl(app: AppName, s: StackSettings): string {
  return `http://127.0.0.1:${s.ports[app]}/health/ready`;
}

/** Where Prometheus scrapes the app; undefined when the stack serves no metrics. */
export function metricsUrl(app: AppName, s: StackSettings): string | undefined {
  return s.metricsPorts ? `http://127.0.0.1:${s.metricsPorts[app]}/metrics` : undefined;
}

/** Creates the service databases that do not exist yet. */
export async function ensureDatabases(s: StackSettings): Promise<void> {
  const client = new Client({ connectionString: s.pgServerUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${s.pgServerUrl} (${(error as Error).message}); start it, or point DATABASE_URL (npm run up) or TEST_PG_URL (tests, chaos) at one`);
  }
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    const existing = new Set(rows.map((r) => r.datname));
    for (const db of SERVICE_DATABASES) {
      const name = s.databases[db];
      if (!existing.has(name)) await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
}

const tsNode = ['-r', '@swc-node/register'];
const nodeEnv = { SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') };

/** Runs a TypeScript entry point to completion (migrations, topics apply); rejects with its output on failure. */
export function runToCompletion(entry: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...tsNode, join(ROOT, entry), ...args], { cwd: ROOT, env: { ...process.env, ...nodeEnv, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${entry} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

export function migrateAccounts(s: StackSettings): Promise<string> {
  return runToCompletion('apps/accounts/src/migrate.ts', [], appEnv('accounts', s));
}

export interface IssuedApiKey {
  readonly id: string;
  readonly key: string;
}

/** Issues an API key through the accounts CLI, the same way an operator does. */
export async function issueApiKey(s: StackSettings, clientId: string, scopes: string[], rateLimitPerSecond?: number): Promise<IssuedApiKey> {
  const args = ['create', '--client', clientId, '--scopes', scopes.join(','), '--json', ...(rateLimitPerSecond ? ['--rate-limit', String(rateLimitPerSecond)] : [])];
  const output = await runToCompletion('apps/accounts/src/api-keys/api-keys.cli.ts', args, appEnv('accounts', s));
  const line = output.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`the api-keys CLI printed no key:\n${output}`);
  const { id, key } = JSON.parse(line) as IssuedApiKey;
  return { id, key };
}

export function applyTopics(s: StackSettings): Promise<string> {
  return runToCompletion('apps/ops/src/main.ts', ['topics', 'apply', '--execute'], { KAFKA_BROKERS: s.kafkaBrokers });
}

export const APP_ENTRIES: Record<AppName, string> = {
  accounts: 'apps/accounts/src/main.ts',
  'accounts-relay': 'apps/accounts-relay/src/main.ts',
  'welcome-email': 'apps/welcome-email/src/main.ts',
  'abuse-scan': 'apps/abuse-scan/src/main.ts',
  provisioning: 'apps/provisioning/src/main.ts',
};

/** Starts one app with its output appended to logDir/<app>.log. */
export function startApp(app: AppName, s: StackSettings, logDir: string, options: { detached?: boolean } = {}): ChildProcess {
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, `${app}.log`), 'a');
  const child = spawn(process.execPath, [...tsNode, join(ROOT, APP_ENTRIES[app])], {
    cwd: ROOT,
    env: { ...process.env, ...nodeEnv, ...appEnv(app, s) },
    stdio: ['ignore', log, log],
    detached: options.detached ?? false,
  });
  closeSync(log);
  return child;
}

/** Resolves when the URL answers 200, or rejects naming the app and its log. */
export async function waitForHealthy(url: string, what: string, timeoutMs = 60_000, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (!alive()) throw new Error(`${what} exited before it became ready`);
    if (Date.now() > deadline) throw new Error(`${what} was not ready at ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export * from './prometheus';
