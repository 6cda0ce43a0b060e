/**
 * The runtime's logging seam. Apps pass their own logger to join their log pipeline; the default
 * writes one JSON object per line, which every log shipper parses without configuration.
 * Payloads never go into `fields` at info or above: event data can carry personal data.
 */
export interface RuntimeLogger {
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
  debug(msg: string, fields?: object): void;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLineLoggerOptions {
  /** Lowest level written; debug is off unless asked for, it is chatty per record. */
  level?: LogLevelName;
  /** Fields added to every line, e.g. the consumer name. */
  base?: Record<string, unknown>;
  write?: (line: string) => void;
}

export function jsonLineLogger(options: JsonLineLoggerOptions = {}): RuntimeLogger {
  const threshold = LEVEL_RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = options.base ?? {};
  const log = (level: LogLevelName) => (msg: string, fields?: object) => {
    if (LEVEL_RANK[level] < threshold) return;
    write(safeStringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Adds fixed fields to every call, so call sites do not repeat the consumer group on each line. */
export function childLogger(logger: RuntimeLogger, fields: Record<string, unknown>): RuntimeLogger {
  const bind = (fn: RuntimeLogger['info']) => (msg: string, more?: object) => fn(msg, { ...fields, ...more });
  return {
    debug: bind(logger.debug.bind(logger)),
    info: bind(logger.info.bind(logger)),
    warn: bind(logger.warn.bind(logger)),
    error: bind(logger.error.bind(logger)),
  };
}

// A log line must never throw: a circular object or a BigInt in fields would otherwise take the
// consumer down from inside a catch block.
function safeStringify(value: object): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Error) return { name: v.name, message: v.message };
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      return v;
    });
  } catch {
    return JSON.stringify({ level: 'error', msg: 'unserialisable log line' });
  }
}
