import type { LogLevelName } from '@platform/config';
import { createJsonLogger } from '@platform/observability';

/**
 * The runtime's logging seam. Apps pass their own logger (the platform's JSON logger, usually) to
 * join their log pipeline; the default is that same logger on stdout at info.
 * Payloads never go into `fields` at info or above: event data can carry personal data.
 */
export interface RuntimeLogger {
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
  debug(msg: string, fields?: object): void;
}

export type { LogLevelName };

export interface JsonLineLoggerOptions {
  /** Lowest level written; debug is off unless asked for, it is chatty per record. */
  level?: LogLevelName;
  /** Fields added to every line, e.g. the consumer name. */
  base?: Record<string, unknown>;
  write?: (line: string) => void;
}

/** JSON lines with trace ids and personal data masked; see @platform/observability's createJsonLogger. */
export function jsonLineLogger(options: JsonLineLoggerOptions = {}): RuntimeLogger {
  return createJsonLogger({ level: options.level, base: options.base, write: options.write });
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
