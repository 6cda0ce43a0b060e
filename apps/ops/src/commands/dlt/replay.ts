import { Command } from 'commander';
import { consumerLanes, findConsumer } from '../../catalog';
import type { OpsContext } from '../../ops-context';
import { describeFilter, parseFilter } from '../../records/record-filter';
import { mutationIntent } from '../../safety/confirmation';
import { deadLetterReplayHeaders } from '../../replay/replay-headers';
import { performReplay } from '../../replay/replay-flow';
import { addFilterOptions, addReplayOptions, parseLimit, parseRateOption } from '../options';

interface DltReplayOptions {
  key?: string;
  type?: string;
  error?: string;
  since?: string;
  until?: string;
  limit?: string;
  rate?: string;
  restart?: boolean;
  dryRun?: boolean;
  execute?: boolean;
}

export function dltReplayCommand(ctx: OpsContext): Command {
  const command = new Command('replay')
    .description(
      "republish a consumer's dead letters to that consumer alone (its first retry topic), keeping key, value and headers; " +
        'resumable: run the same command again after an interruption and it goes on where it stopped',
    )
    .argument('<consumer>', 'a declared consumer, e.g. welcome-email');
  addFilterOptions(command);
  addReplayOptions(command);
  return command.action(async (name: string, options: DltReplayOptions) => {
    const consumer = findConsumer(ctx.catalog, name);
    const lanes = consumerLanes(consumer);
    const intent = mutationIntent(options, ctx.out, 'dlt replay');
    const rate = parseRateOption(options.rate);
    const filter = describeFilter(options);
    await performReplay(
      ctx,
      {
        kind: 'dlt',
        command: 'dlt replay',
        consumer,
        options: { ...filter, limit: options.limit, rate: options.rate, restart: options.restart || undefined },
        selection: { filter },
        destinations: new Map(lanes.map((lane) => [lane.deadLetterTopic, lane.replayTopic])),
        initialRanges: async (_admin, now) =>
          [...now].flatMap(([topic, marks]) => marks.map((w) => ({ topic, partition: w.partition, start: w.low, end: w.high }))),
        filter: parseFilter(options, ctx.now()),
        unfiltered: Object.keys(filter).length === 0,
        maxReplays: ctx.config().maxReplays,
        limit: parseLimit(options.limit),
        ratePerSecond: rate,
        restart: Boolean(options.restart),
        headersFor: (run) => (message, topic, partition) =>
          deadLetterReplayHeaders(message.headers, { topic, partition, offset: message.offset, timestamp: message.timestamp }, run),
      },
      intent,
    );
  });
}
