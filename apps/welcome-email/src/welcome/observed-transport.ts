import { SpanKind, metrics } from '@opentelemetry/api';
import { DURATION_BUCKETS_SECONDS, ErrorAttribute, MetricName, NetworkAttribute, PlatformAttribute, ServerAttribute, errorType, inSpan } from '@platform/observability';
import type { SmtpConfig } from '../config';
import { WELCOME_EMAIL_TELEMETRY_SCOPE } from '../telemetry-scope';
import type { MailTransport } from './smtp-transport';

/**
 * A mail transport whose every send is a client span (a child of the record's process span, so
 * the mail shows in the signup's trace) and a latency sample labelled by outcome. The recipient is
 * never an attribute: the trace tells which account by its event, not by its address.
 */
export function observedTransport(transport: MailTransport, smtp: Pick<SmtpConfig, 'host' | 'port'>): MailTransport {
  const duration = metrics.getMeter(WELCOME_EMAIL_TELEMETRY_SCOPE).createHistogram(MetricName.SmtpSendDuration, {
    description: 'Time the SMTP server took to accept (or refuse) one welcome mail.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
  });
  const attributes = { [ServerAttribute.Address]: smtp.host, [ServerAttribute.Port]: smtp.port, [NetworkAttribute.ProtocolName]: 'smtp' };
  return {
    sendMail: (message) =>
      inSpan(WELCOME_EMAIL_TELEMETRY_SCOPE, 'smtp send', { kind: SpanKind.CLIENT, attributes }, async () => {
        const started = performance.now();
        try {
          const info = await transport.sendMail(message);
          duration.record((performance.now() - started) / 1000, { [PlatformAttribute.Outcome]: 'sent' });
          return info;
        } catch (error) {
          duration.record((performance.now() - started) / 1000, { [PlatformAttribute.Outcome]: 'failed', [ErrorAttribute.Type]: errorType(error) });
          throw error;
        }
      }),
  };
}
