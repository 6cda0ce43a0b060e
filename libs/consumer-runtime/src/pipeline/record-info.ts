import { CloudEventHeader } from '@platform/contracts';
import type { RecordInfo } from '../hooks/runtime-hooks';
import { describeError } from '../errors/runtime-errors';
import type { RecordJob } from './record-job';

/** The hook payload for a job: identifiers and timings, never the event data. */
export function recordInfo(job: RecordJob, groupId: string, now: number, extra: Partial<RecordInfo> & { error?: unknown } = {}): RecordInfo {
  const { error, ...rest } = extra;
  const failure = error === undefined ? undefined : describeError(error);
  return {
    groupId,
    topic: job.route.topic,
    partition: job.partition,
    offset: job.message.offset,
    sourceTopic: job.route.sourceTopic,
    stage: job.route.stage,
    type: eventTypeOf(job),
    eventId: eventIdOf(job),
    attempt: job.attempts,
    durationMs: now - job.startedAt,
    ...(failure ? { errorCode: failure.code, errorClass: failure.errorClass } : {}),
    ...rest,
  };
}

/** Log fields for a job; the same identifiers as the hooks, so logs and metrics join up. */
export function logFields(job: RecordJob): Record<string, unknown> {
  return {
    topic: job.route.topic,
    partition: job.partition,
    offset: job.message.offset,
    stage: job.route.stage,
    eventType: eventTypeOf(job),
    eventId: eventIdOf(job),
    attempt: job.attempts,
  };
}

// From the headers when there is no envelope (a record that did not decode), so even a dead
// letter of an unknown type can be traced to an event.
function eventTypeOf(job: RecordJob): string | undefined {
  return job.envelope?.type ?? job.headers[CloudEventHeader.Type];
}

function eventIdOf(job: RecordJob): string | undefined {
  return job.envelope?.id ?? job.headers[CloudEventHeader.Id];
}
