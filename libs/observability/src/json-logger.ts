import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { LogLevelName } from '@platform/config';
import type { PlatformLogger } from './logger';
import { maskEmails, maskPersonalData } from './personal-data-mask';

/**
 * The platform's one log format: a JSON object per line on stdout, which every log shipper parses
 * without configuration. Each line carries the active trace and span ids (`trace_id`, `span_id`,
 * as the OpenTelemetry log data model names them), so a line found in the logs leads to its trace
 * and back. Addresses and personal fields are masked on the way out, whatever the caller passed;
 * payloads are never passed at info or above in the first place.
 */
export interface JsonLogger extends PlatformLogger {
  /** The same logger with fields added to every line (a component name, a consumer group). */
  child(fields: Record<string, unknown>): JsonLogger;
  isLevelEnabled(level: LogLevelName): boolean;
}

export interface JsonLoggerOptions {
  /** The app, on every line. */
  readonly service?: string;
  /** Lowest level written; default info. */
  readonly level?: LogLevelName;
  readonly base?: Record<string, unknown>;
  /** Receives each line without its newline; default stdout. */
  readonly write?: (line: string) => void;
}

const LEVEL_RANK: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED = new Set(['time', 'level', 'service', 'msg', 'trace_id', 'span_id']);

export function createJsonLogger(options: JsonLoggerOptions = {}): JsonLogger {
  const threshold = LEVEL_RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const service = options.service;
  const build = (base: Record<string, unknown>): JsonLogger => {
    const log = (level: LogLevelName) => (msg: string, fields?: object) => {
      if (LEVEL_RANK[level] < threshold) return;
      write(formatLine(level, service, msg, base, fields));
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => build({ ...base, ...fields }),
      isLevelEnabled: (level) => LEVEL_RANK[level] >= threshold,
    };
  };
  return build(options.base ?? {});
}

function formatLine(level: LogLevelName, service: string | undefined, msg: string, base: Record<string, unknown>, fields: object | undefined): string {
  const time = new Date().toISOString();
  const span = trace.getSpan(context.active())?.spanContext();
  const line: Record<string, unknown> = {
    time,
    level,
    ...(service ? { service } : {}),
    msg: maskEmails(String(msg)),
    ...(span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {}),
  };
  const extra = maskPersonalData({ ...base, ...fields }) as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) if (!RESERVED.has(key)) line[key] = value;
  // A log line must never throw: it is often written from inside a catch block.
  try {
    return JSON.stringify(line);
  } catch {
    return JSON.stringify({ time, level: 'error', ...(service ? { service } : {}), msg: 'unserialisable log line' });
  }
}
