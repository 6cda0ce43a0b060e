import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where global setup tells the specs how to reach the platform it started. */
export const STACK_FILE = join(__dirname, '..', '..', '..', '..', '.local', 'e2e', 'stack.json');

export interface E2eStack {
  readonly accountsUrl: string;
  /** An admin key issued for this run by global setup. */
  readonly apiKey: string;
  readonly mailApiUrl: string;
  /** The mail sink's HTTP root, for its controls (SMTP down and up, mailbox rejections). */
  readonly mailSinkUrl: string;
  /** The PostgreSQL server the service databases live on. */
  readonly pgServerUrl: string;
  readonly kafkaBrokers: string[];
  readonly databases: Record<string, string>;
  readonly logDir: string;
  /** The OTLP receiver the apps export spans to; GET /api/spans?traceId= reads them back. */
  readonly otlpUrl: string;
  /** Each app's Prometheus endpoint, by app name. */
  readonly metricsUrls: Record<string, string>;
}

export function readStack(): E2eStack {
  return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as E2eStack;
}
