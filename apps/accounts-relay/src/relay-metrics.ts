import type { Backlog, RelayStatus } from '@platform/outbox';

/**
 * The relay's numbers in the two shapes scrapers ask for. Interim: the observability work
 * replaces this with OpenTelemetry, reading the same readBacklog() and status().
 */
export interface RelayMetrics {
  readonly schema: string;
  readonly role: RelayStatus['role'];
  readonly database: RelayStatus['database'];
  readonly kafka: RelayStatus['kafka'];
  readonly backlogEvents: number;
  readonly oldestEventAgeSeconds: number;
  readonly publishedEvents: number;
  readonly publishedBatches: number;
  readonly lastPublishedAt: string | null;
}

export function relayMetrics(schema: string, status: RelayStatus, backlog: Backlog): RelayMetrics {
  return {
    schema,
    role: status.role,
    database: status.database,
    kafka: status.kafka,
    backlogEvents: backlog.events,
    oldestEventAgeSeconds: backlog.oldestAgeSeconds,
    publishedEvents: status.publishedEvents,
    publishedBatches: status.publishedBatches,
    lastPublishedAt: status.lastPublishedAt?.toISOString() ?? null,
  };
}

/** Prometheus text exposition format 0.0.4. */
export function prometheusText(metrics: RelayMetrics): string {
  const labels = `{schema="${metrics.schema}"}`;
  const series: [name: string, type: 'gauge' | 'counter', help: string, value: number][] = [
    ['outbox_backlog_events', 'gauge', 'Outbox rows not yet acknowledged by Kafka.', metrics.backlogEvents],
    ['outbox_oldest_event_age_seconds', 'gauge', 'Age of the oldest unpublished outbox row; 0 when empty.', metrics.oldestEventAgeSeconds],
    ['outbox_relay_active', 'gauge', '1 while this instance holds the leader lock and publishes.', metrics.role === 'active' ? 1 : 0],
    ['outbox_relay_kafka_up', 'gauge', '1 while the last send to Kafka succeeded.', metrics.kafka === 'up' ? 1 : 0],
    ['outbox_relay_published_events_total', 'counter', 'Events this instance published and deleted from the outbox.', metrics.publishedEvents],
    ['outbox_relay_published_batches_total', 'counter', 'Batches this instance published.', metrics.publishedBatches],
  ];
  return series.map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name}${labels} ${value}\n`).join('');
}
