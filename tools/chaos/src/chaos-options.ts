import { join } from 'node:path';
import { parseFlags } from '@platform/config';
import { ROOT } from '@platform/dev-stack';

const DEFAULTS = {
  signups: 10_000,
  rate: 25,
  seed: 0,
  smtpDownSeconds: 30,
  brokerDownSeconds: 15,
  pgRestart: true,
  settleTimeoutSeconds: 300,
  kafkaPort: 16092,
  kafkaDataDir: join(ROOT, '.local', 'chaos', 'kafka'),
  reportDir: join(ROOT, '.local', 'chaos', 'report'),
  /**
   * `local`: the machine's server at --pg-server-url, restarted with --pg-restart-command.
   * `scratch`: a server of the run's own (initdb in a temporary directory, its own port), restarted with pg_ctl.
   */
  postgres: 'local',
  pgServerUrl: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  pgRestartCommand: 'pg_ctlcluster --skip-systemctl-redirect 15 main restart',
  keepDatabases: false,
  short: false,
};
// The suite's run restarts a PostgreSQL server of its own: the machine's is shared with everything else running.
const SHORT = { signups: 500, rate: 10, smtpDownSeconds: 10, brokerDownSeconds: 8, postgres: 'scratch', settleTimeoutSeconds: 180 };
export type ChaosOptions = typeof DEFAULTS;

export function chaosOptions(): ChaosOptions {
  const argv = process.argv.slice(2);
  const parsed = parseFlags(argv, DEFAULTS);
  if (!parsed.short) return parsed;
  // --short sets the suite's preset; flags given explicitly still win.
  const explicit = parseFlags(argv, { ...DEFAULTS, ...SHORT });
  return explicit;
}
