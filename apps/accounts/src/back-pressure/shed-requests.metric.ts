import { metrics } from '@opentelemetry/api';
import { MetricName, PlatformAttribute } from '@platform/observability';
import { ACCOUNTS_TELEMETRY_SCOPE } from '../telemetry-scope';

export const SHED_REASON_IN_FLIGHT = 'in_flight';

let shed = 0;
let registered = false;

/**
 * Requests the in-flight cap refused. They never reach the HTTP instrumentation (see
 * limitRequestsInFlight), so this counter is where load shedding shows. Counted in a variable and
 * handed over when the metrics are collected: a refusal costs an increment, not an SDK call. One
 * per process, however many apps a test builds; returns the function that counts one.
 */
export function shedRequestsCounter(): () => void {
  if (!registered) {
    registered = true;
    metrics
      .getMeter(ACCOUNTS_TELEMETRY_SCOPE)
      .createObservableCounter(MetricName.HttpServerRequestsShed, { description: 'Requests answered 503 by the in-flight cap, before any routing.', unit: '{request}' })
      .addCallback((result) => result.observe(shed, { [PlatformAttribute.Reason]: SHED_REASON_IN_FLIGHT }));
  }
  return countShed;
}

function countShed(): void {
  shed += 1;
}
