/**
 * What the relay says about itself. Fields are counts, ids, topics and error codes, never event
 * payloads or headers: the outbox carries personal data the logs must not.
 */
export interface RelayLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentRelayLogger: RelayLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
