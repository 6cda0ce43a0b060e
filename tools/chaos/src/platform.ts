/**
 * The whole platform, owned by one run: fresh databases on the local PostgreSQL, a broker of its
 * own (own port, own data directory, started and stopped with tools/kafka/kafka.sh), its own
 * MailSink, and every app as a child process started exactly as `npm run up` and the end-to-end
 * tests start them (tools/dev/stack.ts). Apps can be SIGKILLed and started again.
 */
import { ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { partitionLags } from '@platform/consumer-runtime';
import { CONSUMERS, consumerTopics } from '@platform/contracts';
import { MailSink } from '@platform/testing';
import {
  APPS,
  AppName,
  ROOT,
  SERVICE_DATABASES,
  ServiceDatabase,
  StackSettings,
  applyTopics,
  databaseUrl,
  ensureDatabases,
  healthUrl,
  issueApiKey,
  migrateAccounts,
  startApp,
  waitForHealthy,
} from '@platform/dev-stack';

export interface PlatformOptions {
  readonly pgServerUrl: string;
  readonly kafkaPort: number;
  readonly kafkaDataDir: string;
  readonly logDir: string;
  /** First of five consecutive HTTP ports for the apps. */
  readonly basePort: number;
  readonly databasePrefix: string;
  readonly extraEnv?: Record<string, string>;
  readonly log: (line: string) => void;
}

export class Platform {
  readonly run = randomBytes(3).toString('hex');
  readonly settings: StackSettings;
  readonly sink = new MailSink({ httpPort: 0 });
  readonly kafka: Kafka;
  readonly children = new Map<AppName, ChildProcess>();
  apiKey = '';
  /** Exits nobody asked for; the run restarts the app as a supervisor (systemd, Kubernetes) would. */
  readonly unexpectedExits: { app: AppName; code: number | null; signal: string | null; atMs: number }[] = [];
  private readonly expectedExit = new Set<ChildProcess>();
  private stopping = false;
  private admin?: Admin;

  constructor(private readonly options: PlatformOptions) {
    const p = options.basePort;
    this.settings = {
      pgServerUrl: options.pgServerUrl,
      databases: Object.fromEntries(SERVICE_DATABASES.map((db) => [db, `${options.databasePrefix}_${this.run}_${db}`])) as Record<ServiceDatabase, string>,
      kafkaBrokers: `127.0.0.1:${options.kafkaPort}`,
      smtp: { host: '127.0.0.1', port: 0 },
      ports: { accounts: p, 'accounts-relay': p + 1, 'welcome-email': p + 2, 'abuse-scan': p + 3, provisioning: p + 4 },
      appBaseUrl: 'http://app.example.test',
      extraEnv: options.extraEnv,
    };
    this.kafka = new Kafka({ clientId: `chaos-${this.run}`, brokers: [this.settings.kafkaBrokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  }

  get accountsUrl(): string {
    return `http://127.0.0.1:${this.settings.ports.accounts}`;
  }

  /** kafka.sh with this run's port and data directory. */
  async kafkaSh(command: 'start' | 'stop'): Promise<void> {
    await promisify(execFile)('bash', [join(ROOT, 'tools/kafka/kafka.sh'), command], {
      env: { ...process.env, KAFKA_PORT: String(this.options.kafkaPort), KAFKA_DATA_DIR: this.options.kafkaDataDir },
      timeout: 180_000,
    });
  }

  async start(apiKeyRateLimit: number): Promise<void> {
    const { log } = this.options;
    rmSync(this.options.logDir, { recursive: true, force: true });
    mkdirSync(this.options.logDir, { recursive: true });
    log(`broker on 127.0.0.1:${this.options.kafkaPort}, fresh storage in ${this.options.kafkaDataDir}`);
    await this.kafkaSh('stop');
    rmSync(this.options.kafkaDataDir, { recursive: true, force: true });
    await this.kafkaSh('start');
    await this.sink.start();
    (this.settings.smtp as { port: number }).port = this.sink.smtpPort;
    log(`mail sink: SMTP 127.0.0.1:${this.sink.smtpPort}, inbox http://127.0.0.1:${this.sink.httpPort}/`);
    log(`databases ${Object.values(this.settings.databases).join(', ')}`);
    await ensureDatabases(this.settings);
    await Promise.all([migrateAccounts(this.settings), applyTopics(this.settings)]);
    this.apiKey = (await issueApiKey(this.settings, `chaos-${this.run}`, ['accounts:write', 'accounts:read'], apiKeyRateLimit)).key;
    log('starting accounts, accounts-relay, welcome-email, abuse-scan, provisioning');
    for (const app of APPS) this.launch(app);
    await Promise.all(APPS.map((app) => this.waitReady(app, 120_000)));
  }

  /** Starts an app; if it exits without being asked to, it is started again 2 s later. */
  private launch(app: AppName): void {
    const child = startApp(app, this.settings, this.options.logDir);
    this.children.set(app, child);
    child.once('exit', (code, signal) => {
      if (this.expectedExit.has(child) || this.stopping) return;
      this.unexpectedExits.push({ app, code, signal, atMs: Date.now() });
      this.options.log(`${app} exited on its own (code ${code}, signal ${signal}); restarting it as a supervisor would (log ${this.logFile(app)})`);
      setTimeout(() => {
        if (!this.stopping && this.children.get(app) === child) this.launch(app);
      }, 2000);
    });
  }

  logFile(app: AppName): string {
    return join(this.options.logDir, `${app}.log`);
  }

  /** Resolves once the app answers ready; an app that exits meanwhile is restarted by launch(), so only the timeout fails this. */
  waitReady(app: AppName, timeoutMs: number): Promise<void> {
    return waitForHealthy(healthUrl(app, this.settings), `${app} (log ${this.logFile(app)})`, timeoutMs);
  }

  /** SIGKILL, wait for the exit, start it again; resolves once it reports ready again. */
  async killAndRestart(app: AppName, downMs: number, readyTimeoutMs: number): Promise<{ readyAfterMs: number; restartsOnTheWay: number }> {
    const child = this.children.get(app)!;
    this.expectedExit.add(child);
    const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    const before = this.unexpectedExits.filter((e) => e.app === app).length;
    this.launch(app);
    await this.waitReady(app, readyTimeoutMs);
    return { readyAfterMs: Date.now() - killedAt, restartsOnTheWay: this.unexpectedExits.filter((e) => e.app === app).length - before };
  }

  /** Lag of every consumer group over its source and retry topics (dead letters excluded); undefined when the broker does not answer. */
  async consumerLag(): Promise<Record<string, number> | undefined> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      const admin = this.admin;
      const out: Record<string, number> = {};
      for (const consumer of CONSUMERS) {
        const topics = consumerTopics(consumer);
        const lag = (await partitionLags(admin, consumer.groupId, topics)).reduce((sum, p) => sum + p.lag, 0);
        out[consumer.groupId] = lag;
      }
      return out;
    } catch {
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
      return undefined;
    }
  }

  async query<T extends Record<string, unknown>>(database: ServiceDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: databaseUrl(this.settings, database), connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Stops the apps (SIGTERM, SIGKILL after 20 s), the sink and the broker; drops the databases and this run's tenant roles. */
  async stop(keepDatabases: boolean): Promise<void> {
    this.stopping = true;
    await this.admin?.disconnect().catch(() => undefined);
    await Promise.all(
      [...this.children.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await this.sink.stop().catch(() => undefined);
    await this.kafkaSh('stop').catch((error) => this.options.log(`kafka.sh stop failed: ${(error as Error).message}`));
    if (keepDatabases) return;
    await this.dropTenantRoles();
    const client = new Client({ connectionString: this.settings.pgServerUrl });
    await client.connect();
    try {
      for (const name of Object.values(this.settings.databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }

  /** Roles are cluster-wide and outlive the tenants database (as in the e2e teardown). */
  private async dropTenantRoles(): Promise<void> {
    try {
      const rows = await this.query<{ role: string }>(
        'tenants',
        `SELECT r.rolname AS role FROM pg_catalog.pg_roles r JOIN pg_catalog.pg_namespace n ON n.nspname = r.rolname WHERE r.rolname LIKE 'tenant\\_%'`,
      );
      const client = new Client({ connectionString: databaseUrl(this.settings, 'tenants') });
      await client.connect();
      try {
        for (const { role } of rows) {
          await client.query(`DROP OWNED BY "${role}"`);
          await client.query(`DROP ROLE "${role}"`);
        }
      } finally {
        await client.end();
      }
    } catch (error) {
      this.options.log(`could not drop this run's tenant roles: ${(error as Error).message}`);
    }
  }
}
