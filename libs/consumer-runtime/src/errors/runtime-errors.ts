import { DeadLetterHeader, PermanentError, PlatformError, RetriableError, errorCode } from '@platform/contracts';

/** The options handed to the runtime cannot work; raised at construction, before anything connects. */
export class ConsumerRuntimeConfigError extends PlatformError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid consumer runtime options:\n  - ${problems.join('\n  - ')}`, { code: 'CONSUMER_RUNTIME_CONFIG_INVALID', retriable: false });
  }
}

/** A retry or dead-letter record was not acknowledged; the source offset stays uncommitted. */
export class FailureForwardError extends RetriableError {
  constructor(destination: string, cause: unknown) {
    super(`could not write to ${destination}: ${(cause as Error)?.message ?? String(cause)}`, 'FAILURE_FORWARD_FAILED', cause);
  }
}

/** Publishing through EventPublisher failed; a handler rethrowing it gets the record retried. */
export class PublishError extends RetriableError {
  constructor(topic: string, cause: unknown) {
    super(`could not publish to ${topic}: ${(cause as Error)?.message ?? String(cause)}`, 'PUBLISH_FAILED', cause);
  }
}

/**
 * A retry-topic record whose x-retry-not-before is not a time, or is further away than the retry
 * topic could ever have asked for: waiting would stall its partition (or, past setTimeout's 2^31-1
 * ms, spin it), so it is dead-lettered instead.
 */
export class RetryNotBeforeInvalidError extends PermanentError {
  constructor(raw: string, reason: 'unparsable' | 'too far ahead', limitMs: number) {
    super(`${DeadLetterHeader.RetryNotBefore} ${JSON.stringify(raw.slice(0, 64))} is ${reason} (a retry topic waits at most ${limitMs} ms)`, 'RETRY_NOT_BEFORE_INVALID');
  }
}

/** Internal: every in-process attempt of one delivery failed retriably. Carries the last failure. */
export class RetriesExhaustedError extends Error {
  constructor(readonly lastError: unknown) {
    super(`in-process retries exhausted: ${(lastError as Error)?.message ?? String(lastError)}`);
    this.name = 'RetriesExhaustedError';
  }
}

/** Internal: a wait was cut short by close(); the record is left unacknowledged for redelivery. */
export class ShutdownInterruptedError extends Error {
  constructor() {
    super('interrupted by shutdown');
    this.name = 'ShutdownInterruptedError';
  }
}

export interface ErrorDescription {
  readonly errorClass: string;
  readonly code: string;
  readonly message: string;
  readonly stack: string;
}

/** The failure as the dead-letter headers and the logs describe it. */
export function describeError(error: unknown): ErrorDescription {
  const root = error instanceof RetriesExhaustedError ? error.lastError : error;
  if (root instanceof Error) {
    return { errorClass: root.name || root.constructor.name, code: errorCode(root), message: root.message, stack: root.stack ?? '' };
  }
  return { errorClass: typeof root, code: errorCode(root), message: String(root), stack: '' };
}

/**
 * Topics the consumer needs are not on the cluster. Auto-creation is off, so this would otherwise
 * surface as an obscure metadata error at subscribe time, or worse, at the first dead letter.
 */
export class MissingTopicsError extends PlatformError {
  constructor(readonly topics: readonly string[]) {
    super(`topics missing on the cluster (create them with the ops CLI's topics command): ${topics.join(', ')}`, {
      code: 'CONSUMER_TOPICS_MISSING',
      retriable: false,
    });
  }
}
