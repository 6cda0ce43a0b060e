import { decodeRecord } from '@platform/contracts';
import type { Middleware } from './record-job';
import { assertNoConflictingAttributes } from './conflicting-headers';

/**
 * Bytes to envelope. Every EventDecodeError is permanent and the dead-letter step takes it from
 * here, an unknown ce_type (EVENT_TYPE_UNKNOWN) included: a type the contracts catalog does not
 * know is not an event of this platform, and someone must look at it. A known type this app has
 * no handler for is a different case, skipped by the route step: one topic carries many types.
 */
export function decodeMiddleware(): Middleware {
  return async (job, next) => {
    // The job's string headers keep one copy of each header: the raw ones show a conflict.
    assertNoConflictingAttributes(job.message.headers);
    // From the job's string headers: each header is converted from bytes once per record.
    job.envelope = decodeRecord({ key: job.key, value: job.message.value, headers: job.headers });
    return next();
  };
}
