import { KafkaEventContext } from '../server/event-context';
import type { PipelineDeps } from './pipeline-deps';
import type { Outcome, RecordJob, Step } from './record-job';

/** How often a running handler's partition heartbeats; kafkajs throttles to its heartbeatInterval. */
export const HANDLER_HEARTBEAT_MS = 1_000;

/** What the handler is told about the record it is handling. */
export function eventContextFor(job: RecordJob, groupId: string): KafkaEventContext {
  return new KafkaEventContext({
    topic: job.route.topic,
    partition: job.partition,
    offset: job.message.offset,
    attempt: job.attempts,
    groupId,
    headers: job.headers,
  });
}

/** The end of the chain: the app's handler, with heartbeats while it runs. */
export function invokeHandler(deps: PipelineDeps): Step {
  return async (job: RecordJob): Promise<Outcome> => {
    const context = eventContextFor(job, deps.groupId);
    // A long handler must not cost the group membership; failures here surface on the next
    // heartbeat of the batch loop, which is where a rebalance is acted on.
    const ticker = setInterval(() => job.heartbeat().catch(() => undefined), HANDLER_HEARTBEAT_MS);
    try {
      await deps.invoke(job.handler!, job.envelope!, context);
    } finally {
      clearInterval(ticker);
    }
    return { kind: 'processed' };
  };
}
