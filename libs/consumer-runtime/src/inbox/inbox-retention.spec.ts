import { ConfigError, EnvReader } from '@platform/config';
import { DEAD_LETTER_RETENTION_MS, SOURCE_TOPICS } from '@platform/contracts';
import { DEFAULT_INBOX_RETENTION, readInboxRetention } from './inbox-retention';

const DAY_MS = 86_400_000;

describe('inbox retention settings', () => {
  it('keep ids for the whole redelivery window by default: a source topic’s retention plus the dead-letter topic’s', () => {
    const longestSource = Math.max(...SOURCE_TOPICS.map((t) => t.retentionMs));
    expect(DEFAULT_INBOX_RETENTION.retentionMs).toBeGreaterThanOrEqual(longestSource + DEAD_LETTER_RETENTION_MS);
    expect(readInboxRetention(new EnvReader({}))).toEqual({ retentionMs: 35 * DAY_MS, pruneIntervalMs: 3_600_000 });
  });

  it('read INBOX_RETENTION_DAYS and INBOX_PRUNE_INTERVAL_MINUTES, and report bad values with the rest', () => {
    expect(readInboxRetention(new EnvReader({ INBOX_RETENTION_DAYS: '90', INBOX_PRUNE_INTERVAL_MINUTES: '15' }))).toEqual({ retentionMs: 90 * DAY_MS, pruneIntervalMs: 900_000 });
    const reader = new EnvReader({ INBOX_RETENTION_DAYS: '0', INBOX_PRUNE_INTERVAL_MINUTES: 'hourly' });
    readInboxRetention(reader);
    expect(() => reader.done()).toThrow(ConfigError);
    expect(() => reader.done()).toThrow(/INBOX_RETENTION_DAYS[\s\S]*INBOX_PRUNE_INTERVAL_MINUTES/);
  });
});
