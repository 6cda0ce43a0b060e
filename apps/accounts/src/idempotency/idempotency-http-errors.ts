import { ConflictProblem, HttpProblem, UnprocessableContentProblem } from '../problem-details/http-problems';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from './idempotency.errors';

/** Where idempotency errors meet HTTP, with the statuses the Idempotency-Key draft prescribes. */
export function idempotencyProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof IdempotencyKeyReusedError) {
    return new UnprocessableContentProblem({
      code: error.code,
      title: 'Idempotency key reused',
      detail: 'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
    });
  }
  if (error instanceof IdempotencyKeyInProgressError) {
    return new ConflictProblem({
      code: error.code,
      title: 'Request in progress',
      detail: 'A request with this Idempotency-Key is still being processed. Retry shortly to get its response.',
      // The first request is a single short transaction; a second is plenty.
      headers: { 'Retry-After': '1' },
    });
  }
  return undefined;
}
