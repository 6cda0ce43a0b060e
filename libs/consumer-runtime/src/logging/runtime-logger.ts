import type { LogLevelName } from '@platform/config';
import { PlatformLogger, createJsonLogger } from '@platform/observability';

// The runtime's logging seam is the platform's PlatformLogger: apps pass their own (the JSON
// logger, usually) to join their log pipeline; the default is that same logger on stdout at info.

export type { LogLevelName };

export interface JsonLineLoggerOptions {
  /** Lowest level written; debug is off unless asked for, it is chatty per record. */
  level?: LogLevelName;
  /** Fields added to every line, e.g. the consumer name. */
  base?: Record<string, unknown>;
  write?: (line: string) => void;
}

/** JSON lines with trace ids and personal data masked; see @platform/observability's createJsonLogger. */
export function jsonLineLogger(options: JsonLineLoggerOptions = {}): PlatformLogger {
  return createJsonLogger({ level: options.level, base: options.base, write: options.write });
}

/** Adds fixed fields to every call, so call sites do not repeat the consumer group on each line. */
export function childLogger(logger: PlatformLogger, fields: Record<string, unknown>): PlatformLogger {
  const bind = (fn: PlatformLogger['info']) => (msg: string, more?: object) => fn(msg, { ...fields, ...more });
  return {
    debug: bind(logger.debug.bind(logger)),
    info: bind(logger.info.bind(logger)),
    warn: bind(logger.warn.bind(logger)),
    error: bind(logger.error.bind(logger)),
  };
}
