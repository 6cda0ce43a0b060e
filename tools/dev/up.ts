import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  APPS,
  AppName,
  DEV_METRICS_PORTS,
  DEV_PORTS,
  ROOT,
  StackSettings,
  applyTopics,
  databaseUrl,
  issueApiKey,
  ensureDatabases,
  healthUrl,
  migrateAccounts,
  prometheusInstalled,
  startApp,
  startPrometheus,
  waitForHealthy,
} from './stack';

// `npm run up`: the local platform, started in the background; idempotent, so running it again
// only starts what is not running. `npm run down` stops it.
const STATE = join(ROOT, '.local', 'dev');
const LOGS = join(STATE, 'logs');
const PIDS = join(STATE, 'pids');
const DEV_KEY_FILE = join(STATE, 'api-key');
const MAIL_HTTP_PORT = 1080;
const MAIL_SMTP_PORT = 1025;
const PROMETHEUS_PORT = 9090;

function settings(): StackSettings {
  const given = process.env.DATABASE_URL;
  const server = new URL(given ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const accountsDb = given ? server.pathname.slice(1) || 'accounts' : 'accounts';
  server.pathname = '/postgres';
  return {
    pgServerUrl: server.toString(),
    databases: { accounts: accountsDb, welcome_email: 'welcome_email', abuse_scan: 'abuse_scan', provisioning: 'provisioning', tenants: 'tenants' },
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    smtp: { host: '127.0.0.1', port: MAIL_SMTP_PORT },
    ports: DEV_PORTS,
    metricsPorts: DEV_METRICS_PORTS,
    appBaseUrl: process.env.APP_BASE_URL ?? 'http://localhost:3000',
  };
}

function runningPid(name: string): number | undefined {
  const file = join(PIDS, `${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function remember(name: string, pid: number | undefined): void {
  if (pid) writeFileSync(join(PIDS, `${name}.pid`), String(pid));
}

function startMailSink(): void {
  if (runningPid('mail-sink')) return;
  const log = openSync(join(LOGS, 'mail-sink.log'), 'a');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/dev/mail-sink.ts')], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), MAIL_SINK_SMTP_PORT: String(MAIL_SMTP_PORT), MAIL_SINK_HTTP_PORT: String(MAIL_HTTP_PORT) },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  child.unref();
  remember('mail-sink', child.pid);
}

/**
 * A Prometheus over every app's metrics with the platform's alert rules, when Debian's package is
 * installed (ensure-deps installs it); without it the platform runs, unwatched.
 */
async function startLocalPrometheus(s: StackSettings): Promise<string> {
  if (!prometheusInstalled()) return 'not started: install Debian\'s prometheus package (bash scripts/ensure-deps.sh)';
  const url = `http://127.0.0.1:${PROMETHEUS_PORT}`;
  if (!runningPid('prometheus')) {
    const targets = Object.fromEntries(APPS.map((app) => [app, `127.0.0.1:${s.metricsPorts?.[app] ?? DEV_METRICS_PORTS[app]}`]));
    const child = startPrometheus({ targets, port: PROMETHEUS_PORT, dir: join(STATE, 'prometheus'), detached: true });
    child.unref();
    remember('prometheus', child.pid);
    await waitForHealthy(`${url}/-/ready`, `prometheus (log ${join(STATE, 'prometheus', 'prometheus.log')})`, 30_000, () => runningPid('prometheus') !== undefined);
  }
  return `${url}/alerts   (the platform's alert rules over every app's metrics)`;
}

/**
 * An admin key for local use, kept in .local/dev/api-key and reused while it is still active,
 * so running `up` again does not pile up keys.
 */
async function devApiKey(s: StackSettings): Promise<string> {
  if (existsSync(DEV_KEY_FILE)) {
    const key = readFileSync(DEV_KEY_FILE, 'utf8').trim();
    const id = /^ak_([0-9a-f]{16})_/.exec(key)?.[1];
    const client = new Client({ connectionString: databaseUrl(s, 'accounts') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM accounts.api_keys WHERE id = $1 AND revoked_at IS NULL', [id ?? '']);
      if (rowCount === 1) return key;
    } finally {
      await client.end();
    }
  }
  const { key } = await issueApiKey(s, 'local-dev', ['accounts:admin'], 1_000);
  writeFileSync(DEV_KEY_FILE, `${key}\n`, { mode: 0o600 });
  return key;
}

async function main(): Promise<void> {
  mkdirSync(LOGS, { recursive: true });
  mkdirSync(PIDS, { recursive: true });
  const s = settings();
  step('databases');
  await ensureDatabases(s);
  step('migrations');
  await migrateAccounts(s);
  step('API key');
  const apiKey = await devApiKey(s);
  step('topics');
  await applyTopics(s);
  step('mail sink');
  startMailSink();
  await waitForHealthy(`http://127.0.0.1:${MAIL_HTTP_PORT}/api/messages`, `mail sink (log ${join(LOGS, 'mail-sink.log')})`);
  for (const app of APPS) {
    if (runningPid(app)) continue;
    const child = startApp(app, s, LOGS, { detached: true });
    child.unref();
    remember(app, child.pid);
  }
  step('prometheus');
  const prometheus = await startLocalPrometheus(s);
  step('waiting for the apps to be ready');
  await Promise.all(
    APPS.map((app: AppName) =>
      waitForHealthy(healthUrl(app, s), `${app} (log ${join(LOGS, `${app}.log`)})`, 90_000, () => runningPid(app) !== undefined),
    ),
  );
  console.log(`
The platform is up.
  Accounts API     http://127.0.0.1:${s.ports.accounts}/v1/accounts
  API key (admin)  ${apiKey}   (also in ${DEV_KEY_FILE})
  Mail viewer      http://127.0.0.1:${MAIL_HTTP_PORT}/
  Kafka            ${s.kafkaBrokers}
  Health           ${APPS.map((a) => `${a} :${s.ports[a]}`).join(', ')}
  Metrics          ${APPS.map((a) => `${a} :${DEV_METRICS_PORTS[a]}`).join(', ')} (Prometheus text at /metrics)
  Alerts           ${prometheus}
  Logs             ${LOGS}

Try it:
  curl -i -X POST http://127.0.0.1:${s.ports.accounts}/v1/accounts \\
    -H "authorization: Bearer $(cat ${DEV_KEY_FILE})" \\
    -H 'content-type: application/json' \\
    -d '{"email":"ada@example.com","displayName":"Ada Lovelace","locale":"en"}'

Traces are off unless OTEL_EXPORTER_OTLP_ENDPOINT is set when running up (docs/observability.md).
Stop everything with: npm run down
`);
}

function step(what: string): void {
  console.log(`up: ${what}`);
}

main().catch((error: Error) => {
  console.error(`up: ${error.message}`);
  process.exit(1);
});
