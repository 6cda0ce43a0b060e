import { Command } from 'commander';
import type { Admin } from 'kafkajs';
import { ConsumerLane, consumerLanes, findConsumer } from '../../catalog';
import { UsageError } from '../../errors';
import type { OpsContext } from '../../ops-context';
import type { PartitionRange } from '../../reading/partition-range';
import { Watermarks, offsetsAtTime } from '../../reading/topic-offsets';
import { describeFilter, parseFilter } from '../../records/record-filter';
import { topicReplayHeaders } from '../../replay/replay-headers';
import { performReplay } from '../../replay/replay-flow';
import { mutationIntent } from '../../safety/confirmation';
import { Position, parsePosition } from '../../time/position-spec';
import { addFilterOptions, addReplayOptions, parseLimit, parseRateOption } from '../options';

interface TopicReplayOptions {
  from: string;
  to?: string;
  topic?: string;
  key?: string;
  type?: string;
  limit?: string;
  rate?: string;
  skipProcessed?: boolean;
  restart?: boolean;
  dryRun?: boolean;
  execute?: boolean;
}

export function topicReplayCommand(ctx: OpsContext): Command {
  const command = new Command('replay')
    .description(
      'reprocess a range of a source topic for ONE consumer group, other groups untouched: the records are copied into ' +
        "that consumer's first retry topic, which only its group reads, and the group is not stopped or reset",
    )
    .argument('<consumer>', 'a declared consumer, e.g. abuse-scan')
    .requiredOption('--from <time|offset>', 'first record: ISO 8601 time, a duration ago (1h), an offset for every partition (120), or per partition (0:120,3:98)')
    .option('--to <time|offset>', 'first record NOT replayed (exclusive), same forms as --from; default: the end of the topic now')
    .option('--topic <source>', 'only this one of the topics the consumer reads')
    .option('--skip-processed', "let the consumer's inbox skip events it already processed (default: it handles each again, once per replay run)");
  addFilterOptions(command, { errorAndTime: false });
  addReplayOptions(command);
  return command.action(async (name: string, options: TopicReplayOptions) => {
    const consumer = findConsumer(ctx.catalog, name);
    const lanes = pickLanes(consumerLanes(consumer), options.topic);
    const intent = mutationIntent(options, ctx.out, 'topic replay');
    const rate = parseRateOption(options.rate);
    const now = ctx.now();
    const from = parsePosition(options.from, '--from', now);
    const to = options.to === undefined ? undefined : parsePosition(options.to, '--to', now);
    if (lanes.length > 1 && (from.kind !== 'time' || (to && to.kind !== 'time'))) {
      throw new UsageError(`${consumer.name} reads ${lanes.map((l) => l.sourceTopic).join(' and ')}: offsets name partitions of one topic, so pick it with --topic`);
    }
    const filter = describeFilter({ key: options.key, type: options.type });
    const reprocess = !options.skipProcessed;
    await performReplay(
      ctx,
      {
        kind: 'topic',
        command: 'topic replay',
        consumer,
        options: { from: options.from, to: options.to, topic: options.topic, ...filter, limit: options.limit, rate: options.rate, skipProcessed: options.skipProcessed || undefined, restart: options.restart || undefined },
        selection: { topics: lanes.map((l) => l.sourceTopic), from: options.from, to: options.to, filter, reprocess },
        destinations: new Map(lanes.map((lane) => [lane.sourceTopic, lane.replayTopic])),
        initialRanges: (admin, marks) => rangesFor(admin, marks, from, to),
        filter: parseFilter({ key: options.key, type: options.type }, now),
        unfiltered: Object.keys(filter).length === 0,
        limit: parseLimit(options.limit),
        ratePerSecond: rate,
        restart: Boolean(options.restart),
        headersFor: (run) => (message, topic, partition) =>
          topicReplayHeaders(message.headers, { topic, partition, offset: message.offset, timestamp: message.timestamp }, consumer.groupId, run, reprocess),
      },
      intent,
    );
  });
}

function pickLanes(lanes: ConsumerLane[], topic: string | undefined): ConsumerLane[] {
  if (topic === undefined) return lanes;
  const picked = lanes.filter((lane) => lane.sourceTopic === topic);
  if (picked.length === 0) throw new UsageError(`--topic ${topic}: the consumer reads ${lanes.map((l) => l.sourceTopic).join(', ')}`);
  return picked;
}

async function rangesFor(admin: Admin, marks: ReadonlyMap<string, Watermarks[]>, from: Position, to: Position | undefined): Promise<PartitionRange[]> {
  const ranges: PartitionRange[] = [];
  for (const [topic, partitions] of marks) {
    const starts = await resolve(admin, topic, from);
    const ends = to === undefined ? undefined : await resolve(admin, topic, to);
    for (const { partition, low, high } of partitions) {
      // A partition --from does not name is not replayed; one --to does not name runs to its end.
      const start = starts(partition) ?? high;
      const end = ends?.(partition) ?? high;
      const clampedStart = start < low ? low : start > high ? high : start;
      const clampedEnd = end > high ? high : end < clampedStart ? clampedStart : end;
      ranges.push({ topic, partition, start: clampedStart, end: clampedEnd });
    }
  }
  return ranges;
}

async function resolve(admin: Admin, topic: string, position: Position): Promise<(partition: number) => bigint | undefined> {
  switch (position.kind) {
    case 'offset':
      return () => position.offset;
    case 'offsets':
      return (partition) => position.byPartition.get(partition);
    case 'time': {
      const offsets = await offsetsAtTime(admin, topic, position.at);
      return (partition) => offsets.get(partition);
    }
  }
}
