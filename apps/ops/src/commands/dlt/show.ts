import { Command } from 'commander';
import type { KafkaMessage } from 'kafkajs';
import { AuditTrail } from '../../audit/audit-trail';
import { describeAudit } from '../../audit/audit-record';
import { deadLetterTopics, findConsumer } from '../../catalog';
import { withAdmin } from '../../kafka-admin';
import type { OpsContext } from '../../ops-context';
import { PartitionRange, partitionKey } from '../../reading/partition-range';
import { readRanges } from '../../reading/range-reader';
import { assertTopicsExist, watermarks } from '../../reading/topic-offsets';
import { DeadLetterView, deadLetterView } from '../../records/dead-letter-view';
import { describeFilter, matchesFilter, parseFilter } from '../../records/record-filter';
import { addFilterOptions, parseLimit } from '../options';
import { stringHeaders } from '@platform/contracts';

const DEFAULT_LIMIT = 20;

interface DltShowOptions {
  key?: string;
  type?: string;
  error?: string;
  since?: string;
  until?: string;
  limit?: string;
  reveal?: boolean;
  stack?: boolean;
}

interface Found {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

export function dltShowCommand(ctx: OpsContext): Command {
  const command = new Command('show')
    .description("a consumer's dead letters, oldest first, decoded, with their error headers; personal data masked unless --reveal")
    .argument('<consumer>', 'a declared consumer, e.g. welcome-email');
  addFilterOptions(command);
  return command
    .option('--limit <n>', `show at most this many (default ${DEFAULT_LIMIT})`)
    .option('--reveal', 'show personal data unmasked; writes an audit record first')
    .option('--stack', 'print error stacks too (always in --json)')
    .action(async (name: string, options: DltShowOptions) => {
      const consumer = findConsumer(ctx.catalog, name);
      const limit = parseLimit(options.limit) ?? DEFAULT_LIMIT;
      const filter = parseFilter(options, ctx.now());
      const kafka = ctx.kafka();
      const topics = deadLetterTopics(consumer);
      const ranges = await withAdmin(kafka, async (admin) => {
        await assertTopicsExist(admin, topics);
        const all: PartitionRange[] = [];
        for (const topic of topics) for (const w of await watermarks(admin, topic)) all.push({ topic, partition: w.partition, start: w.low, end: w.high });
        return all;
      });

      // The oldest `limit` matches of each partition are enough to find the oldest `limit` overall.
      const found = new Map<string, Found[]>();
      await readRanges(kafka, ranges, {
        signal: ctx.interrupted,
        onBatch: async ({ topic, partition, messages }, control) => {
          const key = partitionKey(topic, partition);
          const list = found.get(key) ?? [];
          found.set(key, list);
          for (const message of messages) {
            const record = { key: message.key?.toString('utf8') ?? null, headers: stringHeaders(message.headers), timestamp: Number(message.timestamp) };
            if (matchesFilter(filter, record)) list.push({ topic, partition, message });
            if (list.length >= limit) {
              control.finish(topic, partition);
              break;
            }
          }
        },
      });
      const oldest = [...found.values()]
        .flat()
        .sort((a, b) => Number(a.message.timestamp) - Number(b.message.timestamp) || a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)))
        .slice(0, limit);

      let audit: AuditTrail | undefined;
      try {
        if (options.reveal) {
          // Written, and acknowledged, before anything unmasked is printed.
          audit = await AuditTrail.open(ctx, { command: 'dlt show --reveal', consumer: consumer.name, options: { ...describeFilter(options), limit } });
          await audit.revealed({ records: oldest.length });
        }
        const views = oldest.map((f) => deadLetterView(f.topic, f.partition, f.message, Boolean(options.reveal)));
        ctx.out.result({ consumer: consumer.name, masked: !options.reveal, records: views, audit: audit?.records }, () =>
          [
            ...views.map((view) => renderView(view, Boolean(options.stack))),
            `${views.length} dead letter(s) of ${consumer.name} shown, oldest first${views.length === limit ? ` (--limit ${limit}; there may be more)` : ''}` +
              (options.reveal ? '; personal data REVEALED' : '; personal data masked (--reveal shows it, audited)'),
            ...(audit ? [describeAudit(audit.last()!)] : []),
          ].join('\n'),
        );
      } finally {
        await audit?.close();
      }
    });
}

function renderView(view: DeadLetterView, stack: boolean): string {
  const lines = [
    `${view.topic} partition ${view.partition} offset ${view.offset}  dead-lettered ${view.timestamp}  key ${view.key ?? '(none)'}`,
    `  event   ${view.eventType ?? '(no ce_type)'} id ${view.eventId ?? '(no ce_id)'}${view.event ? ` at ${view.event.time} from ${view.event.source}` : ''}`,
    `  error   ${view.error.code ?? '(no code)'} (${view.error.class ?? '?'}): ${view.error.message ?? ''}`,
    `  origin  ${view.origin.topic ?? '?'} partition ${view.origin.partition ?? '?'} offset ${view.origin.offset ?? '?'}; attempts ${view.attempts ?? '?'}, first failure ${view.firstFailureTime ?? '?'}, replayed ${view.replayCount} time(s)`,
  ];
  if (view.event) lines.push(`  data    ${JSON.stringify(view.event.data)}`);
  if (view.undecodable) lines.push(`  poison  ${view.undecodable}`, `  raw     ${view.raw}`);
  if (stack && view.error.stack) lines.push(...view.error.stack.split('\n').map((line) => `  | ${line}`));
  return lines.join('\n');
}
