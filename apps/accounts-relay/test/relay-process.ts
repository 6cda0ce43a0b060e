import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PrometheusSample, parsePrometheusText, waitFor } from '@platform/testing';

const ROOT = path.resolve(__dirname, '../../..');

export type LogRecord = { level: string; msg: string } & Record<string, unknown>;

/** The real relay, as deployed: main.ts in a child process, talking JSON lines on stdout. */
export class RelayProcess {
  readonly logs: LogRecord[] = [];
  readonly stdout: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  /** Metrics are off unless `env` gives OTEL_EXPORTER_PROMETHEUS_PORT: several relays run at once. */
  constructor(private readonly env: Record<string, string>) {
    const metrics = env.OTEL_EXPORTER_PROMETHEUS_PORT ? {} : { OTEL_METRICS_EXPORTER: 'none' };
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/accounts-relay/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: 'tsconfig.base.json', RELAY_HEALTH_PORT: '0', ...metrics, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.stdout.push(line);
      try {
        this.logs.push(JSON.parse(line));
      } catch {
        this.logs.push({ level: 'unparseable', msg: line });
      }
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  async port(): Promise<number> {
    const line = await this.waitForLog((l) => l.msg === 'health server listening');
    return line.port as number;
  }

  waitForLog(match: (line: LogRecord) => boolean, timeoutMs = 20_000): Promise<LogRecord> {
    return waitFor(() => this.logs.find(match), { timeoutMs, intervalMs: 20, what: 'relay log line' });
  }

  async get(pathname: string): Promise<{ status: number; body: unknown; text: string }> {
    const response = await fetch(`http://127.0.0.1:${await this.port()}${pathname}`);
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      // Prometheus text
    }
    return { status: response.status, body, text };
  }

  /** A scrape of the relay's Prometheus endpoint. */
  async metrics(): Promise<PrometheusSample[]> {
    const response = await fetch(`http://127.0.0.1:${this.env.OTEL_EXPORTER_PROMETHEUS_PORT}/metrics`);
    return parsePrometheusText(await response.text());
  }

  async role(): Promise<string | undefined> {
    try {
      return ((await this.get('/health/ready')).body as { role?: string }).role;
    } catch {
      return undefined;
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
