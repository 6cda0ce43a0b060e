import { ShutdownInterruptedError } from '../errors/runtime-errors';

/** Longest stretch between two heartbeats while waiting; well under the session timeout. */
export const HEARTBEAT_SLICE_MS = 1_000;

/**
 * Waits `ms` without losing group membership: sleeps in slices and heartbeats between them.
 * Rejects with ShutdownInterruptedError as soon as `signal` aborts, so close() never waits out a
 * long backoff; the caller leaves the record unacknowledged and it is redelivered after restart.
 */
export async function waitWithHeartbeats(ms: number, heartbeat: () => Promise<void>, signal: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (signal.aborted) throw new ShutdownInterruptedError();
    const remaining = until - Date.now();
    if (remaining <= 0) return;
    await sleep(Math.min(remaining, HEARTBEAT_SLICE_MS), signal);
    if (signal.aborted) throw new ShutdownInterruptedError();
    await heartbeat();
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
