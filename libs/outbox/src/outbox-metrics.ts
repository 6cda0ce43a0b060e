import { BatchObservableResult, metrics } from '@opentelemetry/api';
import { MetricName, PlatformAttribute } from '@platform/observability';
import type { Backlog } from './backlog';
import type { RelayStatus } from './relay-loop';
import { OUTBOX_TELEMETRY_SCOPE } from './telemetry-scope';

/**
 * The outbox backlog as gauges, read when metrics are collected (a scrape). `read` answers
 * undefined, or throws, when it cannot tell: no sample is better than a stale one, and the
 * missing series is what the absent-data alert is for. Returns the function that stops observing.
 */
export function observeOutboxBacklog(schema: string, read: () => Promise<Backlog | undefined> | Backlog | undefined): () => void {
  const meter = metrics.getMeter(OUTBOX_TELEMETRY_SCOPE);
  const backlog = meter.createObservableGauge(MetricName.OutboxBacklog, {
    description: 'Outbox rows not yet acknowledged by Kafka.',
    unit: '{event}',
  });
  const oldestAge = meter.createObservableGauge(MetricName.OutboxOldestEventAge, {
    description: 'Age of the oldest unpublished outbox row, by the database clock; 0 when the outbox is empty.',
    unit: 's',
  });
  const attributes = { [PlatformAttribute.OutboxSchema]: schema };
  const callback = async (result: BatchObservableResult) => {
    let sample: Backlog | undefined;
    try {
      sample = await read();
    } catch {
      return;
    }
    if (!sample) return;
    result.observe(backlog, sample.events, attributes);
    result.observe(oldestAge, sample.oldestAgeSeconds, attributes);
  };
  meter.addBatchObservableCallback(callback, [backlog, oldestAge]);
  return () => meter.removeBatchObservableCallback(callback, [backlog, oldestAge]);
}

/** What one relay instance is doing: leader or not, Kafka reachable, how much it published. */
export function observeRelayStatus(schema: string, status: () => RelayStatus): () => void {
  const meter = metrics.getMeter(OUTBOX_TELEMETRY_SCOPE);
  const active = meter.createObservableGauge(MetricName.RelayActive, { description: '1 while this instance holds the leader lock and publishes.' });
  const kafkaUp = meter.createObservableGauge(MetricName.RelayKafkaUp, {
    description: '1 while the last send to Kafka succeeded, 0 while it failed; absent until this instance has sent as the active relay.',
  });
  const published = meter.createObservableCounter(MetricName.RelayPublished, {
    description: 'Events this instance published and deleted from the outbox.',
    unit: '{event}',
  });
  const batches = meter.createObservableCounter(MetricName.RelayBatches, { description: 'Batches this instance published.', unit: '{batch}' });
  const attributes = { [PlatformAttribute.OutboxSchema]: schema };
  const instruments = [active, kafkaUp, published, batches];
  const callback = (result: BatchObservableResult) => {
    const now = status();
    result.observe(active, now.role === 'active' ? 1 : 0, attributes);
    // No sample while unknown (a standby, or an active relay with nothing sent yet): a 0 there
    // would read as "Kafka is down" on an idle system. A former leader keeps reporting its last
    // send; the alert reads the active instance only (deploy/prometheus/alerts.yml).
    if (now.kafka !== 'unknown') result.observe(kafkaUp, now.kafka === 'up' ? 1 : 0, attributes);
    result.observe(published, now.publishedEvents, attributes);
    result.observe(batches, now.publishedBatches, attributes);
  };
  meter.addBatchObservableCallback(callback, instruments);
  return () => meter.removeBatchObservableCallback(callback, instruments);
}
