import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka, Producer } from 'kafkajs';
import { JSON_CONTENT_TYPE, OpsAuditHeader } from '@platform/contracts';
import { withAdmin } from '../kafka-admin';
import type { OpsContext } from '../ops-context';
import { assertTopicsExist } from '../reading/topic-offsets';
import type { AuditRecord, AuditResult } from './audit-record';

export interface AuditSubject {
  readonly command: string;
  readonly consumer?: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly replay?: AuditRecord['replay'];
}

/**
 * The audit records of one command run, written to the audit topic with acks from every in-sync
 * replica before the command goes on: no audit, no action. The topic must exist (topics apply
 * creates it); a missing one stops the command before it changes anything.
 */
export class AuditTrail {
  readonly records: AuditRecord[] = [];
  private readonly auditId = randomUUID();

  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly operator: string,
    private subject: AuditSubject,
    private readonly now: () => number,
  ) {}

  static async open(ctx: OpsContext, subject: AuditSubject): Promise<AuditTrail> {
    const kafka: Kafka = ctx.kafka();
    await withAdmin(kafka, (admin) => assertTopicsExist(admin, [ctx.catalog.auditTopic]));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return new AuditTrail(producer, ctx.catalog.auditTopic, ctx.operator(), subject, ctx.now);
  }

  /** Adds what became known after opening (a replay's job and run ids) to the next records. */
  update(subject: Partial<AuditSubject>): void {
    this.subject = { ...this.subject, ...subject };
  }

  started(counts?: AuditRecord['counts']): Promise<AuditRecord> {
    return this.write({ phase: 'started', counts });
  }

  revealed(counts: AuditRecord['counts']): Promise<AuditRecord> {
    return this.write({ phase: 'revealed', counts, result: 'ok' });
  }

  finished(result: AuditResult, counts?: AuditRecord['counts'], error?: unknown): Promise<AuditRecord> {
    return this.write({ phase: 'finished', result, counts, error: error === undefined ? undefined : errorText(error) });
  }

  /** The last record written, which is what a command prints. */
  last(): AuditRecord | undefined {
    return this.records[this.records.length - 1];
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private async write(part: Pick<AuditRecord, 'phase'> & Partial<AuditRecord>): Promise<AuditRecord> {
    const record: AuditRecord = {
      auditId: this.auditId,
      time: new Date(this.now()).toISOString(),
      operator: this.operator,
      host: hostname(),
      command: this.subject.command,
      consumer: this.subject.consumer,
      options: this.subject.options,
      replay: this.subject.replay,
      ...withoutUndefined(part),
    } as AuditRecord;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: record.consumer ?? record.command,
          value: JSON.stringify(record),
          headers: { [OpsAuditHeader.ContentType]: JSON_CONTENT_TYPE, [OpsAuditHeader.Phase]: record.phase },
        },
      ],
    });
    this.records.push(record);
    return record;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
