import { metrics } from '@opentelemetry/api';
import { RecordedTelemetry, recordTelemetry } from '../testing';
import { preAggregatedHistogram } from './pre-aggregated-histogram';

describe('PreAggregatedHistogram', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterAll(() => telemetry.stop());

  const boundaries = [0.001, 0.01, 0.1, 1];

  it('collects exactly what the SDK’s own histogram collects for the same records', async () => {
    const sdk = metrics.getMeter('spec').createHistogram('sdk.duration', { unit: 's', advice: { explicitBucketBoundaries: boundaries } });
    const ours = preAggregatedHistogram('spec', { name: 'ours.duration', description: 'Ours.', unit: 's', boundaries });
    const attributes = { group: 'g', type: 'account.created.v1' };
    const record = ours.bind(attributes);
    // Values on the bounds, between them, below and above all of them.
    const values = [0, 0.001, 0.0010001, 0.005, 0.01, 0.5, 1, 7, 0.02, 0.0002];
    for (const value of values) {
      sdk.record(value, attributes);
      record(value);
    }
    const [expected] = await telemetry.points('sdk.duration');
    const [actual] = await telemetry.points('ours.duration');
    expect(actual.attributes).toEqual(attributes);
    expect(actual.value).toEqual(expected.value);
  });

  it('gives an equal attribute set the same series, and one histogram per name', async () => {
    const a = preAggregatedHistogram('spec', { name: 'shared.duration', description: 'Shared.', unit: 's', boundaries });
    const b = preAggregatedHistogram('spec', { name: 'shared.duration', description: 'Shared.', unit: 's', boundaries });
    expect(b).toBe(a);
    a.bind({ x: '1', y: '2' })(0.5);
    b.bind({ y: '2', x: '1' })(0.5);
    const points = await telemetry.points('shared.duration');
    expect(points).toHaveLength(1);
    expect(points[0].value).toMatchObject({ count: 2, sum: 1 });
  });

  it('remembers a recorder under the caller\'s key, recording into the same series as bind()', async () => {
    const histogram = preAggregatedHistogram('spec', { name: 'keyed.duration', description: 'Keyed.', unit: 's', boundaries });
    expect(histogram.recorderFor('GET 200')).toBeUndefined();
    histogram.bindAs('GET 200', { method: 'GET', status: 200 })(0.5);
    histogram.recorderFor('GET 200')!(0.5);
    histogram.bind({ status: 200, method: 'GET' })(0.5);
    const points = await telemetry.points('keyed.duration');
    expect(points).toHaveLength(1);
    expect(points[0].value).toMatchObject({ count: 3, sum: 1.5 });
  });

  it('puts attribute sets past the cardinality limit into one overflow series', async () => {
    const histogram = preAggregatedHistogram('spec', { name: 'wide.duration', description: 'Wide.', unit: 's', boundaries });
    for (let i = 0; i < 2_005; i += 1) histogram.bind({ id: String(i) })(0.5);
    const points = await telemetry.points('wide.duration');
    expect(points).toHaveLength(2_001);
    expect(points.find((p) => p.attributes['otel.metric.overflow'] === true)?.value).toMatchObject({ count: 5 });
  });
});
