import type { LoggerService } from '@nestjs/common';

/**
 * Keeps every line the service logs, at every level, so a fuzz case can search them for what must
 * never be logged. Nest passes the context and, for errors, the stack as extra arguments.
 */
export class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.record('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.record('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.record('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.record('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.record('fatal', message, rest);
  }

  /** Lines logged since `mark` (a previous length of `lines`). */
  since(mark: number): string[] {
    return this.lines.slice(mark);
  }

  private record(level: string, message: unknown, rest: unknown[]): void {
    const text = [message, ...rest].map((part) => (typeof part === 'string' ? part : part instanceof Error ? `${part.message}\n${part.stack}` : safeJson(part))).join(' ');
    this.lines.push(`${level} ${text}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
