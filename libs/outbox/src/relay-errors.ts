import { PermanentError, RetriableError } from '@platform/contracts';

/**
 * The relay's failures, by the component that failed: the loop reacts differently to each
 * (Kafka down: keep the lock and back off; database down: drop the session and reconnect).
 */

/** Kafka did not acknowledge a batch; the rows stay in the outbox and are sent again. */
export class RelayPublishError extends RetriableError {
  constructor(message: string, cause?: unknown) {
    super(message, 'RELAY_PUBLISH_FAILED', cause);
  }
}

/**
 * The relay's own database session could not be opened (RELAY_DATABASE_UNREACHABLE) or failed
 * (RELAY_SESSION_LOST); either way the relay holds no lock and publishes nothing until it reconnects.
 */
export class RelaySessionError extends RetriableError {
  constructor(message: string, cause?: unknown, code: 'RELAY_SESSION_LOST' | 'RELAY_DATABASE_UNREACHABLE' = 'RELAY_SESSION_LOST') {
    super(message, code, cause);
  }
}

/** Configuration the relay cannot work with; no retry helps. */
export class RelayConfigError extends PermanentError {
  constructor(message: string) {
    super(message, 'RELAY_CONFIG_INVALID');
  }
}
