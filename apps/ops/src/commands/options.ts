import { Command } from 'commander';
import { UsageError } from '../errors';
import { parseRate } from '../replay/pacer';

/** The record filters `dlt show` and the replays share. */
export function addFilterOptions(command: Command, { errorAndTime = true } = {}): Command {
  command.option('--key <keys>', 'only these record keys (account ids), comma-separated').option('--type <types>', 'only these event types (ce_type), comma-separated');
  if (errorAndTime) {
    command
      .option('--error <codes>', 'only these error codes (x-error-code), comma-separated')
      .option('--since <time>', 'dead-lettered at or after: ISO 8601 time or a duration ago (30m, 2h, 7d)')
      .option('--until <time>', 'dead-lettered before: ISO 8601 time or a duration ago');
  }
  return command;
}

export function addReplayOptions(command: Command): Command {
  return command
    .option('--limit <n>', 'publish at most this many records in this run (the rest stay for the next run)')
    .option('--rate <n/s>', 'publish at most this many records per second (default: as fast as the broker takes them)')
    .option('--restart', 'forget the progress of earlier runs of this replay and start from the beginning')
    .option('--dry-run', 'show per partition what would be published; publish and commit nothing')
    .option('--execute', 'publish (required unless --dry-run, or confirmed at a terminal)');
}

export function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${raw}: give a whole number of records, at least 1`);
  return limit;
}

/** `--rate`: records per second, or undefined for no pacing; a usage error for anything else. */
export function parseRateOption(raw: string | undefined): number | undefined {
  const rate = parseRate(raw);
  if (Number.isNaN(rate)) throw new UsageError(`--rate ${raw}: give records per second, e.g. 50 or 50/s`);
  return rate;
}
