import type { Producer } from 'kafkajs';
import { CloudEventHeader } from '@platform/contracts';
import { startSendSpans } from '@platform/observability';
import { FailureForwardError } from '../errors/runtime-errors';
import { ACKS_ALL } from '../kafka/idempotent-producer';
import type { RecordJob } from '../pipeline/record-job';
import { attemptsForReport } from '../pipeline/record-job';
import { buildFailureHeaders } from './failure-headers';
import { RUNTIME_TELEMETRY_SCOPE } from '../telemetry/telemetry-scope';

export interface ForwardOptions {
  readonly error?: unknown;
  readonly retryNotBefore?: Date;
  readonly parkedBehind?: string;
}

/**
 * Writes a record to a retry or dead-letter topic: same key, same raw value, original headers plus
 * ours. Resolves only once the write is acknowledged by all in-sync replicas; a failure throws, so
 * the caller never commits the source offset of a record that was not safely handed on.
 *
 * The trace headers travel on untouched, so a retried record is handled in the trace of the
 * request that caused it; the forward itself shows in that trace as a send span to the retry or
 * dead-letter topic.
 */
export class FailureForwarder {
  constructor(
    private readonly producer: Producer,
    private readonly groupId: string,
    private readonly now: () => number,
  ) {}

  async forward(job: RecordJob, destination: string, options: ForwardOptions): Promise<void> {
    const headers = buildFailureHeaders({
      headers: job.message.headers,
      record: { topic: job.route.topic, partition: job.partition, offset: job.message.offset, timestamp: job.message.timestamp },
      fromSourceTopic: job.route.stage === 0,
      groupId: this.groupId,
      attempts: options.error === undefined ? job.attemptsBefore : attemptsForReport(job),
      now: new Date(this.now()),
      error: options.error,
      retryNotBefore: options.retryNotBefore,
      parkedBehind: options.parkedBehind,
    });
    const span = startSendSpans(
      RUNTIME_TELEMETRY_SCOPE,
      [{ topic: destination, key: job.key, id: job.headers[CloudEventHeader.Id], type: job.headers[CloudEventHeader.Type], headers: job.headers }],
      { parent: 'stored', propagate: false },
    );
    try {
      await this.producer.send({
        topic: destination,
        acks: ACKS_ALL,
        messages: [{ key: job.message.key, value: job.message.value, headers, timestamp: undefined }],
      });
    } catch (error) {
      span.end(error);
      throw new FailureForwardError(destination, error);
    }
    span.end();
  }
}
