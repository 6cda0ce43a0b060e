import { EventDecodeError, decodeRecord } from '@platform/contracts';
import type { Middleware } from './record-job';

/** The one decode failure that is not poison: see below. */
const UNKNOWN_TYPE_CODE = 'EVENT_TYPE_UNKNOWN';

/**
 * Bytes to envelope. An EventDecodeError is permanent: the dead-letter step takes it from here.
 * Except an unknown ce_type on an otherwise well-formed CloudEvent: that is a type newer than this
 * build (a producer rolled out first), and a type this app has no handler for is skipped, not
 * dead-lettered by every consumer on the topic.
 */
export function decodeMiddleware(): Middleware {
  return async (job, next) => {
    try {
      // From the job's string headers: each header is converted from bytes once per record.
      job.envelope = decodeRecord({ key: job.key, value: job.message.value, headers: job.headers });
    } catch (error) {
      if (error instanceof EventDecodeError && error.code === UNKNOWN_TYPE_CODE) return { kind: 'ignored', reason: 'no-handler' };
      throw error;
    }
    return next();
  };
}
