/** In-process retries: quick attempts before a record is handed to the retry topics. */
export interface RetryPolicy {
  /** Handler attempts per delivery, the first included. */
  readonly attempts: number;
  /** Ceiling of the first backoff; doubles per retry. */
  readonly baseDelayMs: number;
  /** No backoff ceiling grows past this. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...stripUndefined(overrides ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
