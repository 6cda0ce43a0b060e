import type { EnvReader } from '@platform/config';
import { REDELIVERY_WINDOW_MS } from '@platform/contracts';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** How long rows are kept (a consumer's handled event ids, a guard's rows), and how often older ones are deleted. */
export interface RetentionSettings {
  /** Rows older than this are deleted. Shorter than the redelivery window, a late replay could repeat a side effect. */
  readonly retentionMs: number;
  readonly pruneIntervalMs: number;
}

export const DEFAULT_INBOX_RETENTION: RetentionSettings = {
  // Whole days, so the default reads the same in the env var as in the docs (35).
  retentionMs: Math.ceil(REDELIVERY_WINDOW_MS / DAY_MS) * DAY_MS,
  pruneIntervalMs: 60 * MINUTE_MS,
};

/** Rows deleted per statement: short enough not to hold locks or bloat WAL bursts, long enough to keep up. */
export const PRUNE_BATCH_ROWS = 10_000;
/** Statements per pass: a backlog of years is worked off over several passes, not in one burst. */
export const PRUNE_MAX_BATCHES = 100;

/** INBOX_RETENTION_DAYS and INBOX_PRUNE_INTERVAL_MINUTES, for consumer apps' configs. */
export function readInboxRetention(reader: EnvReader): RetentionSettings {
  return readRetention(reader, { days: 'INBOX_RETENTION_DAYS', minutes: 'INBOX_PRUNE_INTERVAL_MINUTES' });
}

/**
 * Retention in whole days and a prune interval in minutes from the two variables named, defaulting
 * to the inbox's, for any table kept for the redelivery window (the inbox, welcome-email's guard).
 */
export function readRetention(reader: EnvReader, names: { readonly days: string; readonly minutes: string }): RetentionSettings {
  return {
    retentionMs: reader.int(names.days, DEFAULT_INBOX_RETENTION.retentionMs / DAY_MS, { min: 1, max: 3650 }) * DAY_MS,
    pruneIntervalMs: reader.int(names.minutes, DEFAULT_INBOX_RETENTION.pruneIntervalMs / MINUTE_MS, { min: 1, max: 10_080 }) * MINUTE_MS,
  };
}
