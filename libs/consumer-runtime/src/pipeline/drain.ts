import { ShutdownInterruptedError } from '../errors/runtime-errors';
import type { PipelineDeps } from './pipeline-deps';
import type { Middleware } from './record-job';

/**
 * Shutdown, record by record: once close() has begun no new record starts, and a record caught
 * in a backoff or retry wait is given up unacknowledged (it is redelivered after the restart).
 * A handler already running is never interrupted; close() waits for it.
 */
export function drainMiddleware(deps: PipelineDeps): Middleware {
  return async (_job, next) => {
    if (deps.shutdown.aborted) return { kind: 'interrupted' };
    try {
      return await next();
    } catch (error) {
      if (error instanceof ShutdownInterruptedError) return { kind: 'interrupted' };
      throw error;
    }
  };
}
