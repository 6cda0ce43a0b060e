import { CloudEventHeader, DeadLetterHeader } from '@platform/contracts';
import { parseTime } from '../time/time-spec';

/** What `dlt show` and the replays select records by; every part must match. */
export interface RecordFilter {
  readonly keys?: ReadonlySet<string>;
  readonly types?: ReadonlySet<string>;
  readonly errorCodes?: ReadonlySet<string>;
  /** Kafka timestamp of the record (for a dead letter: when it was dead-lettered), inclusive. */
  readonly since?: number;
  /** Exclusive. */
  readonly until?: number;
}

/** The filter options as typed, kept verbatim for the audit log and the replay's identity. */
export interface FilterOptions {
  key?: string;
  type?: string;
  error?: string;
  since?: string;
  until?: string;
}

export interface FilterableRecord {
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

export function parseFilter(options: FilterOptions, now: number): RecordFilter {
  return {
    keys: list(options.key),
    types: list(options.type),
    errorCodes: list(options.error),
    since: options.since === undefined ? undefined : parseTime(options.since, '--since', now),
    until: options.until === undefined ? undefined : parseTime(options.until, '--until', now),
  };
}

/** The options that were given, for printing and hashing; undefined ones left out. */
export function describeFilter(options: FilterOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['key', 'type', 'error', 'since', 'until'] as const) {
    if (options[name] !== undefined) out[name] = options[name]!;
  }
  return out;
}

export function matchesFilter(filter: RecordFilter, record: FilterableRecord): boolean {
  if (filter.keys && (record.key === null || !filter.keys.has(record.key))) return false;
  if (filter.types && !filter.types.has(record.headers[CloudEventHeader.Type] ?? '')) return false;
  if (filter.errorCodes && !filter.errorCodes.has(record.headers[DeadLetterHeader.ErrorCode] ?? '')) return false;
  if (filter.since !== undefined && record.timestamp < filter.since) return false;
  if (filter.until !== undefined && record.timestamp >= filter.until) return false;
  return true;
}

// Comma-separated, so one option can name several keys, types or codes.
function list(raw: string | undefined): ReadonlySet<string> | undefined {
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((v) => v.trim()).filter(Boolean);
  return values.length > 0 ? new Set(values) : undefined;
}
