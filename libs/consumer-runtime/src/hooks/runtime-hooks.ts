import type { PlatformLogger } from '@platform/observability';

/** Why a record was skipped without running a handler. */
export type IgnoreReason = 'no-handler' | 'duplicate';

/** Why a record will be tried again later rather than now. */
export type RetryReason = 'in-process' | 'retry-topic' | 'in-place' | 'parked';

/** What the runtime knows about one record at the moment a hook fires. Never the payload. */
export interface RecordInfo {
  readonly groupId: string;
  /** The topic the record was read from: a source topic or one of the consumer's retry topics. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The source topic the record belongs to, the same for all its retry hops. */
  readonly sourceTopic: string;
  /** 0 when read from the source topic, n when read from retry topic n. */
  readonly stage: number;
  readonly type?: string;
  readonly eventId?: string;
  /** Handler attempts so far, across every retry hop. */
  readonly attempt: number;
  /** Time spent on this record in this process, from pick-up to the hook. */
  readonly durationMs: number;
  readonly errorCode?: string;
  readonly errorClass?: string;
  /** The retry or dead-letter topic the record was sent to. */
  readonly destination?: string;
  readonly reason?: IgnoreReason | RetryReason;
}

/** Metrics and tracing seams; each is optional and called synchronously, so keep them cheap. */
export interface RuntimeHooks {
  onProcessed(info: RecordInfo): void;
  /** Every failed handler attempt, including those that will be retried. */
  onFailed(info: RecordInfo): void;
  /** Every retry scheduled: in-process backoff, a retry topic, an in-place wait or parking behind an earlier event. */
  onRetried(info: RecordInfo): void;
  onDeadLettered(info: RecordInfo): void;
  /** A dead-letter write not acknowledged after the producer's retries: the partition is paused and the record tried again. */
  onDeadLetterFailed(info: RecordInfo): void;
  onIgnored(info: RecordInfo): void;
}

export type HookName = keyof RuntimeHooks;

/** Calls a hook and swallows what it throws: a broken metrics exporter must not stop consumption. */
export function fireHook(hooks: Partial<RuntimeHooks>, name: HookName, info: RecordInfo, logger: PlatformLogger): void {
  const hook = hooks[name];
  if (!hook) return;
  try {
    hook(info);
  } catch (error) {
    logger.warn('runtime hook threw; ignored', { hook: name, error: (error as Error)?.message });
  }
}
