import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import type { Kafka, Message, ProducerBatch } from 'kafkajs';
import { EventType, createEnvelope } from '@platform/contracts';
import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import { outboxInsert } from './outbox-writer';
import type { OutboxRow } from './outbox-row';
import { RelayPublisher } from './relay-publisher';

/** A Kafka whose producer keeps what it was asked to send. */
function recordingKafka(sent: ProducerBatch[], fail?: Error): Kafka {
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    sendBatch: async (batch: ProducerBatch) => {
      if (fail) throw fail;
      sent.push(batch);
      return [];
    },
  };
  return { producer: () => producer } as unknown as Kafka;
}

const event = () =>
  createEnvelope({
    type: EventType.AccountClosed,
    source: 'urn:test',
    subject: 'acc-1',
    data: { accountId: 'acc-1', closedAt: '2025-11-25T15:00:00.000Z' } as never,
    traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
    tracestate: 'vendor=stale',
  });

describe('trace context through the outbox', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterEach(() => telemetry.reset());
  afterAll(() => telemetry.stop());

  it('stores in each row the context of its create span, a child of the active span', () => {
    const request = trace.getTracer('test').startSpan('POST /v1/accounts');
    const insert = context.with(trace.setSpan(ROOT_CONTEXT, request), () => outboxInsert('accounts', 'accounts.lifecycle.v1', [event()]));
    request.end();
    const headers = JSON.parse(insert.params[4] as string) as Record<string, string>;
    const create = telemetry.spans().find((span) => span.name === 'create accounts.lifecycle.v1')!;
    expect(create.kind).toBe(SpanKind.PRODUCER);
    expect(create.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(headers.traceparent).toBe(`00-${request.spanContext().traceId}-${create.spanContext().spanId}-01`);
    // The event's own fields were the request's before; the create span's replace them whole.
    expect(headers.tracestate).toBeUndefined();
    expect(headers.ce_id).toBeDefined();
  });

  it('publishes each row with its send span as parent, the send span a child of what the row stored', async () => {
    const sent: ProducerBatch[] = [];
    const stored = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const row: OutboxRow = { id: '1', topic: 'accounts.lifecycle.v1', messageKey: 'acc-1', headers: { ce_id: 'ev-1', ce_type: 'account.closed.v1', traceparent: stored }, value: '{}' };
    // Whatever the relay's loop has active must not become the parent.
    const loop = trace.getTracer('test').startSpan('relay poll');
    await context.with(trace.setSpan(ROOT_CONTEXT, loop), () => new RelayPublisher(recordingKafka(sent)).publish([row]));
    loop.end();

    const send = telemetry.spans().find((span) => span.name === 'send accounts.lifecycle.v1')!;
    expect(send.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(send.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(send.attributes).toMatchObject({ 'messaging.operation.type': 'send', 'messaging.message.id': 'ev-1', 'messaging.kafka.message.key': 'acc-1' });
    const message = sent[0].topicMessages![0].messages[0] as Message;
    expect((message.headers as Record<string, string>).traceparent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${send.spanContext().spanId}-01`);
    expect(row.headers.traceparent).toBe(stored);
    const [duration] = await telemetry.points('messaging.client.operation.duration');
    expect(duration.attributes).toMatchObject({ 'messaging.operation.name': 'send' });
  });

  it('marks the send spans failed when Kafka does not acknowledge', async () => {
    const row: OutboxRow = { id: '2', topic: 't', messageKey: 'k', headers: {}, value: '{}' };
    await expect(new RelayPublisher(recordingKafka([], Object.assign(new Error('no leader'), { type: 'LEADER_NOT_AVAILABLE' }))).publish([row])).rejects.toThrow(
      /did not acknowledge/,
    );
    expect(telemetry.spans().find((span) => span.name === 'send t')?.status.code).toBe(2);
  });
});
