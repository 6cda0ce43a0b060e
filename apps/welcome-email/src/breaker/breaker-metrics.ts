import { metrics } from '@opentelemetry/api';
import { MetricName } from '@platform/observability';
import { WELCOME_EMAIL_TELEMETRY_SCOPE } from '../telemetry-scope';
import type { SmtpCircuitBreaker } from './smtp-circuit-breaker';

/**
 * The circuit breaker's state as a gauge (1 open, 0 closed) and how often it opened. The counter
 * starts at 0, so `increase()` sees the first opening too.
 */
export function observeCircuitBreaker(breaker: Pick<SmtpCircuitBreaker, 'current' | 'subscribe'>): void {
  const meter = metrics.getMeter(WELCOME_EMAIL_TELEMETRY_SCOPE);
  meter
    .createObservableGauge(MetricName.SmtpCircuitOpen, { description: '1 while the SMTP circuit breaker is open and consumption is paused.' })
    .addCallback((result) => result.observe(breaker.current === 'open' ? 1 : 0));
  const opened = meter.createCounter(MetricName.SmtpCircuitOpened, { description: 'Times the SMTP circuit breaker opened.', unit: '{opening}' });
  opened.add(0);
  breaker.subscribe({ opened: () => opened.add(1), closed: () => undefined });
}
