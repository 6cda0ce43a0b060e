import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import type { RecordInfo } from '../hooks/runtime-hooks';
import { RuntimeMetrics, UNKNOWN_EVENT_TYPE, combineHooks } from './runtime-metrics';

const info = (overrides: Partial<RecordInfo> = {}): RecordInfo => ({
  groupId: 'welcome-email',
  topic: 'accounts.lifecycle.v1.welcome-email.retry.1',
  partition: 0,
  offset: '7',
  sourceTopic: 'accounts.lifecycle.v1',
  stage: 1,
  type: 'account.created.v1',
  attempt: 4,
  durationMs: 3,
  ...overrides,
});

const valueWhere = (points: DataPoint<unknown>[], attributes: Record<string, unknown>) =>
  points.find((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))?.value;

describe('RuntimeMetrics', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterAll(() => telemetry.stop());

  it('counts outcomes per group, source topic and event type, with the reason or error where there is one', async () => {
    const metrics = new RuntimeMetrics();
    const hooks = metrics.hooks();
    hooks.onProcessed(info());
    hooks.onProcessed(info({ stage: 0, topic: 'accounts.lifecycle.v1' }));
    hooks.onFailed(info({ errorCode: 'SMTP_REJECTED' }));
    hooks.onRetried(info({ reason: 'retry-topic' }));
    hooks.onDeadLettered(info({ errorCode: 'EVENT_SCHEMA_INVALID' }));
    hooks.onIgnored(info({ reason: 'duplicate', type: undefined }));

    const labels = { 'messaging.consumer.group.name': 'welcome-email', 'messaging.destination.name': 'accounts.lifecycle.v1', 'cloudevents.event_type': 'account.created.v1' };
    expect(valueWhere(await telemetry.points('consumer.records.processed'), labels)).toBe(2);
    expect(valueWhere(await telemetry.points('consumer.records.failed'), { ...labels, 'error.type': 'SMTP_REJECTED' })).toBe(1);
    expect(valueWhere(await telemetry.points('consumer.records.retried'), { ...labels, reason: 'retry-topic' })).toBe(1);
    expect(valueWhere(await telemetry.points('consumer.records.dead_lettered'), labels)).toBe(1);
    expect(valueWhere(await telemetry.points('consumer.records.ignored'), { 'cloudevents.event_type': 'unknown', reason: 'duplicate' })).toBe(1);
  });

  it('starts processed and dead-lettered at zero on the topic each handled type travels on', async () => {
    new RuntimeMetrics().initialize('accounts', ['abuse.verdicts.v1', 'provisioning.results.v1'], ['abuse.verdict.v1', 'provisioning.failed.v1']);
    const deadLettered = await telemetry.points('consumer.records.dead_lettered');
    const of = (topic: string, type: string) =>
      valueWhere(deadLettered, { 'messaging.consumer.group.name': 'accounts', 'messaging.destination.name': topic, 'cloudevents.event_type': type });
    expect(of('abuse.verdicts.v1', 'abuse.verdict.v1')).toBe(0);
    expect(of('provisioning.results.v1', 'provisioning.failed.v1')).toBe(0);
    expect(of('abuse.verdicts.v1', 'provisioning.failed.v1')).toBeUndefined();
    // A record that cannot be decoded: its first dead letter must be an increase too.
    expect(of('abuse.verdicts.v1', UNKNOWN_EVENT_TYPE)).toBe(0);
    expect(of('provisioning.results.v1', UNKNOWN_EVENT_TYPE)).toBe(0);
  });

  it('counts a record of a type the contracts do not know as unknown, whatever its header says', async () => {
    const hooks = new RuntimeMetrics().hooks();
    hooks.onDeadLettered(info({ groupId: 'abuse-scan', type: 'made.up.by.a.producer', errorCode: 'EVENT_DATA_INVALID' }));
    const deadLettered = await telemetry.points('consumer.records.dead_lettered');
    expect(deadLettered.filter((p) => p.attributes['cloudevents.event_type'] === 'made.up.by.a.producer')).toEqual([]);
    expect(valueWhere(deadLettered, { 'messaging.consumer.group.name': 'abuse-scan', 'cloudevents.event_type': UNKNOWN_EVENT_TYPE })).toBe(1);
  });
});

describe('combineHooks', () => {
  it('calls every set, and reports the first failure after all have run', () => {
    const calls: string[] = [];
    const combined = combineHooks(
      {
        onProcessed: () => {
          calls.push('metrics');
          throw new Error('exporter broken');
        },
      },
      { onProcessed: () => calls.push('app') },
    );
    expect(() => combined.onProcessed!(info())).toThrow('exporter broken');
    expect(calls).toEqual(['metrics', 'app']);
    expect(combined.onFailed).toBeUndefined();
  });
});
