import { EnvReader } from './env-reader';

/** Lowest first: a configured level writes itself and everything after it. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogConfig {
  /** Lines below this level are not written; debug is per record and for investigations only. */
  readonly level: LogLevelName;
}

/** LOG_LEVEL, the same variable and values in every app. */
export function readLogConfig(reader: EnvReader): LogConfig {
  return { level: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info') };
}
