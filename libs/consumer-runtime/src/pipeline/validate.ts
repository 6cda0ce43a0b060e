import { assertEventData } from '@platform/contracts';
import type { Middleware } from './record-job';

/** Data against its type's schema. An EventSchemaError is permanent: no retry will fix the bytes. */
export function validateMiddleware(): Middleware {
  return async (job, next) => {
    const envelope = job.envelope!;
    assertEventData(envelope.type, envelope.data);
    return next();
  };
}
