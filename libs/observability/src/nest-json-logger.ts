import type { LoggerService } from '@nestjs/common';
import type { LogLevelName } from '@platform/config';
import type { JsonLogger } from './json-logger';

/**
 * Nest's logger interface on the platform's JSON lines, so Nest's own messages, `new Logger(name)`
 * in app code and the runtime's fields all come out in one format. Nest passes the logger's name
 * as the last argument (`context`), and for errors a stack before it; objects become fields.
 */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: JsonLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params, false);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params, false);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params, false);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params, false);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }

  private write(level: LogLevelName, message: unknown, params: unknown[], mayHaveStack: boolean): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    // Logger.error(message) with a context arrives as (message, undefined, context).
    if (mayHaveStack && rest.length > 0 && (typeof rest[rest.length - 1] === 'string' || rest[rest.length - 1] === undefined)) {
      const stack = rest.pop();
      if (stack) fields.stack = stack;
    }
    for (const param of rest) if (param !== null && typeof param === 'object') Object.assign(fields, param);
    if (message instanceof Error) {
      fields.error = message;
      if (mayHaveStack && !fields.stack && message.stack) fields.stack = message.stack;
      this.logger[level](message.message, fields);
    } else if (message !== null && typeof message === 'object') {
      this.logger[level]('', { ...fields, ...message });
    } else {
      this.logger[level](String(message), fields);
    }
  }
}
