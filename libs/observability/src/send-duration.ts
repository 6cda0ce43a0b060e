import { metrics } from '@opentelemetry/api';
import { errorType } from './error-type';
import { DURATION_BUCKETS_SECONDS, MetricName } from './metric-names';
import { ErrorAttribute, MESSAGING_SYSTEM_KAFKA, MessagingAttribute, MessagingOperation } from './semantic-attributes';

/** Records how long one Kafka produce request took, from `startedMs` (performance.now()); with the error's type when it failed. */
export type SendDurationRecorder = (startedMs: number, error?: unknown) => void;

/**
 * The messaging client's operation-duration histogram for sends, in one instrumentation scope:
 * the relay's batches and the consumers' own publishes are the same metric, told apart by scope.
 */
export function sendDurationRecorder(scope: string, description: string): SendDurationRecorder {
  const histogram = metrics.getMeter(scope).createHistogram(MetricName.ClientOperationDuration, {
    description,
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
  });
  const sent = { [MessagingAttribute.System]: MESSAGING_SYSTEM_KAFKA, [MessagingAttribute.OperationName]: MessagingOperation.Send };
  return (startedMs, error) => histogram.record((performance.now() - startedMs) / 1000, error === undefined ? sent : { ...sent, [ErrorAttribute.Type]: errorType(error) });
}
