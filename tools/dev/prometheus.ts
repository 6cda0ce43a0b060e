import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The platform's alerting rules, relative to the workspace: the one file every Prometheus of the platform loads. */
export const ALERT_RULES_FILE = 'deploy/prometheus/alerts.yml';
/** The same, absolute. (stack.ts re-exports this module, so no ROOT from there.) */
export const ALERT_RULES = join(__dirname, '..', '..', ALERT_RULES_FILE);

export interface PrometheusOptions {
  /** job name → host:port of a /metrics endpoint. */
  readonly targets: Readonly<Record<string, string>>;
  readonly port: number;
  /** Config, TSDB and log go here. */
  readonly dir: string;
  /** Scrape and rule evaluation interval; the default suits a laptop, tests go faster. */
  readonly intervalSeconds?: number;
  readonly detached?: boolean;
}

/** Whether Debian's prometheus package (scripts/ensure-deps.sh installs it) is on the PATH. */
export function prometheusInstalled(): boolean {
  try {
    execFileSync('prometheus', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A configuration scraping each target as its own job (the job is what the alerts and dashboards
 * call the app), with the platform's alert rules from `rulesFile` as Prometheus will see the path.
 */
export function prometheusConfig(targets: Readonly<Record<string, string>>, intervalSeconds: number, rulesFile = ALERT_RULES): string {
  const jobs = Object.entries(targets).map(([job, target]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${target}']\n`);
  return (
    `global:\n  scrape_interval: ${intervalSeconds}s\n  evaluation_interval: ${intervalSeconds}s\n` +
    `rule_files:\n  - ${JSON.stringify(rulesFile)}\n` +
    `scrape_configs:\n${jobs.join('')}`
  );
}

/**
 * Starts a real Prometheus over the given endpoints with the platform's alerts, listening on
 * 127.0.0.1 only. Its data stays in `dir`, so a restart keeps the history of a local session.
 */
export function startPrometheus(options: PrometheusOptions): ChildProcess {
  const dataDir = join(options.dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const configFile = join(options.dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(options.targets, options.intervalSeconds ?? 15));
  const log = openSync(join(options.dir, 'prometheus.log'), 'a');
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=127.0.0.1:${options.port}`,
      // Debian's package looks for its web console files under /etc; the API and the UI need none.
      '--web.console.templates=/dev/null',
      '--web.console.libraries=/dev/null',
    ],
    { cwd: options.dir, stdio: ['ignore', log, log], detached: options.detached ?? false },
  );
  closeSync(log);
  return child;
}
