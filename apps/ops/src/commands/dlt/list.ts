import { Command } from 'commander';
import { DeadLetterHeader, stringHeaders } from '@platform/contracts';
import { deadLetterTopics } from '../../catalog';
import { withAdmin } from '../../kafka-admin';
import type { OpsContext } from '../../ops-context';
import { PartitionRange } from '../../reading/partition-range';
import { readRanges } from '../../reading/range-reader';
import { Watermarks, watermarks } from '../../reading/topic-offsets';
import { count, formatTable } from '../../table';

const TOP_ERRORS = 3;

interface DeadLetterSummary {
  consumer: string;
  topic: string;
  missing?: true;
  records: number;
  oldest?: string;
  newest?: string;
  topErrors: { code: string; count: number }[];
}

export function dltListCommand(ctx: OpsContext): Command {
  return new Command('list')
    .description("every consumer's dead-letter topics: records held, oldest and newest, the most frequent error codes")
    .action(async () => {
      const kafka = ctx.kafka();
      const wanted = ctx.catalog.consumers.flatMap((consumer) => deadLetterTopics(consumer).map((topic) => ({ consumer: consumer.name, topic })));
      const marks = await withAdmin(kafka, async (admin) => {
        const existing = new Set(await admin.listTopics());
        const found = new Map<string, Watermarks[]>();
        for (const { topic } of wanted) if (existing.has(topic)) found.set(topic, await watermarks(admin, topic));
        return found;
      });
      const ranges: PartitionRange[] = [...marks].flatMap(([topic, list]) => list.map((w) => ({ topic, partition: w.partition, start: w.low, end: w.high })));
      const stats = new Map<string, { oldest?: number; newest?: number; codes: Map<string, number> }>(wanted.map((w) => [w.topic, { codes: new Map() }]));
      // One pass over every dead letter, headers only: the error codes are not in any index.
      await readRanges(kafka, ranges, {
        signal: ctx.interrupted,
        onBatch: async ({ topic, messages }) => {
          const stat = stats.get(topic)!;
          for (const message of messages) {
            const at = Number(message.timestamp);
            stat.oldest = stat.oldest === undefined ? at : Math.min(stat.oldest, at);
            stat.newest = stat.newest === undefined ? at : Math.max(stat.newest, at);
            const code = stringHeaders(message.headers)[DeadLetterHeader.ErrorCode] ?? '(none)';
            stat.codes.set(code, (stat.codes.get(code) ?? 0) + 1);
          }
        },
      });
      const summaries: DeadLetterSummary[] = wanted.map(({ consumer, topic }) => {
        const list = marks.get(topic);
        if (!list) return { consumer, topic, missing: true, records: 0, topErrors: [] };
        const stat = stats.get(topic)!;
        return {
          consumer,
          topic,
          records: list.reduce((sum, w) => sum + Number(w.high - w.low), 0),
          oldest: stat.oldest === undefined ? undefined : new Date(stat.oldest).toISOString(),
          newest: stat.newest === undefined ? undefined : new Date(stat.newest).toISOString(),
          topErrors: [...stat.codes]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .slice(0, TOP_ERRORS)
            .map(([code, n]) => ({ code, count: n })),
        };
      });
      ctx.out.result({ deadLetterTopics: summaries }, () =>
        formatTable(
          ['consumer', 'dead-letter topic', 'records', 'oldest', 'newest', 'top error codes'],
          summaries.map((s) => [
            s.consumer,
            s.topic,
            s.missing ? 'missing' : count(s.records),
            s.oldest ?? '-',
            s.newest ?? '-',
            s.topErrors.map((e) => `${e.code} ×${count(e.count)}`).join(', ') || '-',
          ]),
          [2],
        ),
      );
    });
}

