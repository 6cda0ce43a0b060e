import { UsageError } from '../errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/**
 * A point in time as an SRE types it: an ISO 8601 time (`2025-01-02T03:04:00Z`), `now`, or a
 * duration meaning that long ago (`90s`, `15m`, `1h`, `7d`). A bare number is refused: it could
 * be an offset or epoch seconds or millis, and guessing wrong replays the wrong range.
 */
export function parseTime(raw: string, option: string, now: number): number {
  const text = raw.trim();
  if (text === 'now') return now;
  const duration = DURATION.exec(text);
  if (duration) return now - Number(duration[1]) * UNIT_MS[duration[2]];
  if (/^\d+$/.test(text)) throw new UsageError(`${option} ${raw}: a bare number is ambiguous; give an ISO 8601 time or a duration like 30m, 2h, 7d`);
  const parsed = Date.parse(text);
  if (!Number.isFinite(parsed)) throw new UsageError(`${option} ${raw}: not an ISO 8601 time, "now" or a duration like 30m, 2h, 7d`);
  return parsed;
}
