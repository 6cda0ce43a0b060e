import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import { observeRelayStatus } from './outbox-metrics';
import type { RelayStatus } from './relay-loop';

const status = (overrides: Partial<RelayStatus>): RelayStatus => ({
  role: 'active',
  database: 'up',
  kafka: 'unknown',
  publishedEvents: 0,
  publishedBatches: 0,
  lastPublishedAt: null,
  ...overrides,
});

describe('observeRelayStatus', () => {
  let telemetry: RecordedTelemetry;
  beforeAll(() => {
    telemetry = recordTelemetry();
  });
  afterAll(() => telemetry.stop());

  it('reports Kafka up or down only from sends this instance made, so an idle or standby relay never reads as "Kafka down"', async () => {
    let now = status({ role: 'standby' });
    const stop = observeRelayStatus('accounts', () => now);
    try {
      expect(await telemetry.points('outbox.relay.kafka.up')).toEqual([]);
      expect((await telemetry.points('outbox.relay.active')).map((p) => p.value)).toEqual([0]);

      now = status({ role: 'active', kafka: 'unknown' });
      expect(await telemetry.points('outbox.relay.kafka.up')).toEqual([]);

      now = status({ role: 'active', kafka: 'down' });
      expect((await telemetry.points('outbox.relay.kafka.up')).map((p) => [p.value, p.attributes['outbox.schema']])).toEqual([[0, 'accounts']]);

      now = status({ role: 'active', kafka: 'up', publishedEvents: 3, publishedBatches: 1 });
      expect((await telemetry.points('outbox.relay.kafka.up')).map((p) => p.value)).toEqual([1]);
      expect((await telemetry.points('outbox.relay.published')).map((p) => p.value)).toEqual([3]);
    } finally {
      stop();
    }
  });
});
