import { errorType, inProcessSpan } from '@platform/observability';
import type { PipelineDeps } from '../pipeline/pipeline-deps';
import type { RuntimeMetrics } from './runtime-metrics';
import { RUNTIME_TELEMETRY_SCOPE } from './telemetry-scope';

type Invoke = PipelineDeps['invoke'];

/**
 * The handler call, inside the record's process span and timed. Both the fast lane and the record
 * pipeline call handlers through this, so every attempt is one span and one latency sample, and
 * whatever the handler does (queries, sends, events it publishes) is a child of that span.
 */
export function tracedInvoke(invoke: Invoke, metrics: RuntimeMetrics): Invoke {
  return async (handler, event, context) => {
    const started = performance.now();
    let failure: string | undefined;
    try {
      await inProcessSpan(
        RUNTIME_TELEMETRY_SCOPE,
        {
          topic: context.topic,
          key: event.subject,
          id: event.id,
          type: event.type,
          partition: context.partition,
          offset: context.offset,
          groupId: context.groupId,
          attempt: context.attempt,
          headers: context.headers,
        },
        invoke,
        handler,
        event,
        context,
      );
    } catch (error) {
      failure = errorType(error);
      throw error;
    } finally {
      metrics.recordHandler((performance.now() - started) / 1000, context.groupId, context.topic, event.type, failure);
    }
  };
}
