import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { MessageHandler } from '@nestjs/microservices';
import { EventType, createEnvelope } from '@platform/contracts';
import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import { KafkaEventContext } from '../server/event-context';
import { RuntimeMetrics } from './runtime-metrics';
import { tracedInvoke } from './traced-invoke';

const SEND_SPAN = '00f067aa0ba902b7';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('tracedInvoke', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterAll(() => telemetry.stop());

  const event = createEnvelope({
    type: EventType.AccountClosed,
    source: 'urn:test',
    subject: 'acc-1',
    data: { accountId: 'acc-1', closedAt: '2025-11-25T15:00:00.000Z' } as never,
  });
  const context = new KafkaEventContext({
    topic: 'accounts.lifecycle.v1',
    partition: 3,
    offset: '12',
    attempt: 2,
    groupId: 'provisioning',
    headers: { traceparent: `00-${TRACE}-${SEND_SPAN}-01` },
  });

  it('runs the handler in a process span under the record\'s context and times it', async () => {
    const invoke = tracedInvoke(async () => undefined, new RuntimeMetrics());
    await invoke((() => undefined) as unknown as MessageHandler, event, context);
    const [span] = telemetry.spans();
    expect(span).toMatchObject({ name: 'process accounts.lifecycle.v1', kind: SpanKind.CONSUMER });
    expect(span.spanContext().traceId).toBe(TRACE);
    expect(span.parentSpanContext?.spanId).toBe(SEND_SPAN);
    expect(span.attributes).toMatchObject({ 'messaging.consumer.group.name': 'provisioning', 'platform.attempt': 2, 'messaging.message.id': event.id });
    const [duration] = await telemetry.points('messaging.process.duration');
    expect(duration.attributes).toMatchObject({ 'messaging.consumer.group.name': 'provisioning', 'cloudevents.event_type': 'account.closed.v1' });
  });

  it('marks a failed attempt on the span and in the latency labels, and rethrows', async () => {
    telemetry.reset();
    const failing = tracedInvoke(async () => {
      throw Object.assign(new Error('lock timeout'), { code: 'TENANT_DB_CONTENTION' });
    }, new RuntimeMetrics());
    await expect(failing((() => undefined) as unknown as MessageHandler, event, context)).rejects.toThrow('lock timeout');
    expect(telemetry.spans()[0].status.code).toBe(SpanStatusCode.ERROR);
    const points = await telemetry.points('messaging.process.duration');
    expect(points.some((point) => point.attributes['error.type'] === 'TENANT_DB_CONTENTION')).toBe(true);
  });
});
