import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { RecordedTelemetry, recordTelemetry } from '../testing';
import { createJsonLogger } from './json-logger';

describe('createJsonLogger', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterAll(() => telemetry.stop());

  const capture = (level?: 'debug' | 'info' | 'warn' | 'error') => {
    const lines: Record<string, unknown>[] = [];
    const logger = createJsonLogger({ service: 'welcome-email', level, write: (line) => lines.push(JSON.parse(line)) });
    return { logger, lines };
  };

  it('writes one JSON object per line with time, level, service, message and fields', () => {
    const { logger, lines } = capture();
    logger.child({ context: 'inbox' }).info('consumer started', { topics: ['a'], retryInMs: undefined });
    expect(lines).toEqual([{ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'info', service: 'welcome-email', msg: 'consumer started', context: 'inbox', topics: ['a'] }]);
  });

  it('adds the active trace and span ids, and none outside a span', () => {
    const { logger, lines } = capture();
    const span = trace.getTracer('test').startSpan('process account.lifecycle.v1');
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => logger.info('inside'));
    span.end();
    logger.info('outside');
    expect(lines[0]).toMatchObject({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('masks addresses in messages and fields and redacts personal fields', () => {
    const { logger, lines } = capture();
    logger.warn('mail to ada@example.com bounced', { email: 'ada@example.com', error: new Error('550 no such user ada@example.com') });
    expect(JSON.stringify(lines)).not.toContain('ada@example.com');
    expect(lines[0]).toMatchObject({ msg: 'mail to ***@example.com bounced', email: '[redacted]', error: { message: '550 no such user ***@example.com' } });
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('per record');
    logger.info('started');
    logger.error('failed');
    expect(lines.map((line) => line.level)).toEqual(['error']);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });
});
