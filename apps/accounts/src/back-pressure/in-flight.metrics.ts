import { metrics } from '@opentelemetry/api';
import { MetricName, PlatformAttribute } from '@platform/observability';
import { ACCOUNTS_TELEMETRY_SCOPE } from '../telemetry-scope';

export const SHED_REASON_IN_FLIGHT = 'in_flight';

/** What the in-flight cap reports: a request admitted or finished, a request refused. */
export interface InFlightMetrics {
  /** Requests holding a slot changed by this much (+1 admitted, -1 given back). */
  inFlight(delta: number): void;
  shed(): void;
}

let inFlight = 0;
let shed = 0;
let registered = false;

const recorder: InFlightMetrics = {
  inFlight: (delta) => {
    inFlight += delta;
  },
  shed: () => {
    shed += 1;
  },
};

/**
 * The cap's two series. Refused requests never reach the HTTP instrumentation (see
 * limitRequestsInFlight), so the shed counter is where load shedding shows; the in-flight gauge
 * is where a slot that is never given back would show, as a floor under the series that does not
 * fall to 0 when traffic stops. Both are kept in variables and handed over when the metrics are
 * collected: a request costs two additions, not SDK calls. One per process, however many apps a
 * test builds (the gauge is their sum).
 */
export function inFlightMetrics(): InFlightMetrics {
  if (!registered) {
    registered = true;
    const meter = metrics.getMeter(ACCOUNTS_TELEMETRY_SCOPE);
    meter
      .createObservableCounter(MetricName.HttpServerRequestsShed, { description: 'Requests answered 503 by the in-flight cap, before any routing.', unit: '{request}' })
      .addCallback((result) => result.observe(shed, { [PlatformAttribute.Reason]: SHED_REASON_IN_FLIGHT }));
    meter
      .createObservableUpDownCounter(MetricName.HttpServerActiveRequests, { description: 'Requests holding a slot of the in-flight cap (probes excluded).', unit: '{request}' })
      .addCallback((result) => result.observe(inFlight));
  }
  return recorder;
}
