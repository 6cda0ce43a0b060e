import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import { observeCircuitBreaker } from '../breaker/breaker-metrics';
import type { CircuitListener, CircuitState } from '../breaker/smtp-circuit-breaker';
import { observedTransport } from './observed-transport';
import type { OutgoingMail } from './smtp-transport';

const mail: OutgoingMail = {
  from: 'welcome@platform.example',
  to: { name: 'Ada', address: 'ada@example.com' },
  subject: 'Welcome',
  text: 'hi',
  html: '<p>hi</p>',
  messageId: '<e1@welcome-email.platform.example>',
};

describe('welcome-email telemetry', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterAll(() => telemetry.stop());

  it('makes each send a client span under the handling span, and times it by outcome', async () => {
    let fail = false;
    const transport = observedTransport(
      {
        sendMail: async () => {
          if (fail) throw Object.assign(new Error('550 mailbox ada@example.com unavailable'), { code: 'EENVELOPE' });
          return {};
        },
      },
      { host: 'smtp.internal', port: 587 },
    );
    const handling = trace.getTracer('test').startSpan('process accounts.lifecycle.v1');
    await context.with(trace.setSpan(ROOT_CONTEXT, handling), async () => {
      await transport.sendMail(mail);
      fail = true;
      await expect(transport.sendMail(mail)).rejects.toThrow('550');
    });
    handling.end();

    const sends = telemetry.spans().filter((span) => span.name === 'smtp send');
    expect(sends).toHaveLength(2);
    expect(sends.every((span) => span.kind === SpanKind.CLIENT && span.parentSpanContext?.spanId === handling.spanContext().spanId)).toBe(true);
    expect(sends[0].attributes).toEqual({ 'server.address': 'smtp.internal', 'server.port': 587, 'network.protocol.name': 'smtp' });
    expect(JSON.stringify(sends.map((span) => [span.attributes, span.events, span.status]))).not.toContain('ada@example.com');
    const points = await telemetry.points('smtp.send.duration');
    expect(points.map((point) => point.attributes).sort((a, b) => String(a.outcome).localeCompare(String(b.outcome)))).toEqual([
      { outcome: 'failed', 'error.type': 'EENVELOPE' },
      { outcome: 'sent' },
    ]);
  });

  it('shows the circuit state and counts openings from zero', async () => {
    let state: CircuitState = 'closed';
    let listener: CircuitListener | undefined;
    observeCircuitBreaker({ get current() { return state; }, subscribe: (l: CircuitListener) => void (listener = l) });
    expect((await telemetry.points('smtp.circuit_breaker.open'))[0].value).toBe(0);
    expect((await telemetry.points('smtp.circuit_breaker.opened'))[0].value).toBe(0);
    state = 'open';
    listener!.opened(Object.assign(new Error('down'), { code: 'ECONNECTION', retriable: true }) as never);
    expect((await telemetry.points('smtp.circuit_breaker.open'))[0].value).toBe(1);
    expect((await telemetry.points('smtp.circuit_breaker.opened'))[0].value).toBe(1);
  });
});
