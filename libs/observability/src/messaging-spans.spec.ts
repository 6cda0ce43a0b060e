import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { RecordedTelemetry, recordTelemetry } from '../testing';
import { creationContext, inProcessSpan, startSendSpans } from './messaging-spans';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('messaging spans', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterEach(() => telemetry.reset());
  afterAll(() => telemetry.stop());

  const byName = (name: string) => telemetry.spans().find((span) => span.name === name)!;

  it('chains create → send → process through the headers, one trace from the request on', async () => {
    const request = trace.getTracer('test').startSpan('POST /v1/accounts', { kind: SpanKind.SERVER });
    const message = { topic: 'account.lifecycle.v1', key: 'acc-1', id: 'ev-1', type: 'account.created.v1' };
    const stored = context.with(trace.setSpan(ROOT_CONTEXT, request), () => creationContext('outbox', message));
    request.end();

    // The relay runs in a loop of its own: the row's context, not the active one, is the parent.
    const sends = startSendSpans('relay', [{ ...message, headers: { ce_id: 'ev-1', traceparent: stored.traceparent! } }], { parent: 'stored', propagate: true });
    sends.end();
    let inside: string | undefined;
    await inProcessSpan('consumer', { ...message, partition: 2, offset: '41', groupId: 'welcome-email', attempt: 1, headers: sends.headers[0] }, async () => {
      inside = trace.getActiveSpan()?.spanContext().spanId;
    });

    const create = byName('create account.lifecycle.v1');
    const send = byName('send account.lifecycle.v1');
    const process = byName('process account.lifecycle.v1');
    const traceId = request.spanContext().traceId;
    expect([create, send, process].map((span) => span.spanContext().traceId)).toEqual([traceId, traceId, traceId]);
    expect(create.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(send.parentSpanContext?.spanId).toBe(create.spanContext().spanId);
    expect(process.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(inside).toBe(process.spanContext().spanId);
    expect(TRACEPARENT.exec(sends.headers[0].traceparent)?.[2]).toBe(send.spanContext().spanId);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'account.lifecycle.v1',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'welcome-email',
      'messaging.kafka.message.key': 'acc-1',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 41,
      'cloudevents.event_type': 'account.created.v1',
    });
  });

  it('keeps the stored headers when asked not to propagate, and records a failed send', () => {
    const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const sends = startSendSpans('runtime', [{ topic: 'x.dlt', headers }], { parent: 'stored', propagate: false });
    sends.end(Object.assign(new Error('broker down for ada@example.com'), { code: 'KAFKA_DOWN' }));
    expect(sends.headers[0]).toBe(headers);
    const send = byName('send x.dlt');
    expect(send.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    expect(send.attributes['error.type']).toBe('KAFKA_DOWN');
    expect(JSON.stringify(send.events)).not.toContain('ada@example.com');
  });

  it('starts a new trace for a record without trace context, and marks a failing handler', async () => {
    await expect(
      inProcessSpan('consumer', { topic: 't', partition: 0, offset: '1', groupId: 'g', attempt: 3, headers: {} }, async () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    const process = byName('process t');
    expect(process.parentSpanContext).toBeUndefined();
    expect(process.status.code).toBe(SpanStatusCode.ERROR);
    expect(process.attributes['platform.attempt']).toBe(3);
  });

  it('runs an unrecorded record in the context its headers carry, passing the handler its arguments', async () => {
    // Not sampled upstream: no span is recorded, yet logs and reactions must still carry the trace.
    const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' };
    const seen = await inProcessSpan(
      'consumer',
      { topic: 'quiet', partition: 0, offset: '7', groupId: 'g', attempt: 1, headers },
      async (a: number, b: string) => ({ args: [a, b], active: trace.getSpanContext(context.active()) }),
      1,
      'two',
    );
    expect(seen.args).toEqual([1, 'two']);
    expect(seen.active).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
    expect(telemetry.spans().find((span) => span.name === 'process quiet')).toBeUndefined();
  });
});
