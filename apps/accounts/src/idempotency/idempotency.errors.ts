import { PermanentError, RetriableError } from '@platform/contracts';

/** The key was used before with another request body: replaying the first answer would be a lie. */
export class IdempotencyKeyReusedError extends PermanentError {
  constructor() {
    super('the idempotency key was already used with a different request body', 'IDEMPOTENCY_KEY_REUSED');
  }
}

/** The first request with this key has not finished; retrying later gets its response. */
export class IdempotencyKeyInProgressError extends RetriableError {
  constructor() {
    super('a request with this idempotency key is still being processed', 'IDEMPOTENCY_KEY_IN_PROGRESS');
  }
}
