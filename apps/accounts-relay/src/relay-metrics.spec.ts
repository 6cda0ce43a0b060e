import { prometheusText, relayMetrics } from './relay-metrics';

describe('relay metrics', () => {
  const metrics = relayMetrics(
    'accounts',
    { role: 'active', database: 'up', kafka: 'up', publishedEvents: 1200, publishedBatches: 3, lastPublishedAt: new Date('2025-01-01T00:00:00Z') },
    { events: 42, oldestAgeSeconds: 1.5, oldestCreatedAt: new Date() },
  );

  it('carries backlog, oldest age and the relay counters', () => {
    expect(metrics).toMatchObject({ backlogEvents: 42, oldestEventAgeSeconds: 1.5, publishedEvents: 1200, role: 'active', lastPublishedAt: '2025-01-01T00:00:00.000Z' });
  });

  it('renders the Prometheus text format, one typed series per number', () => {
    const text = prometheusText(metrics);
    expect(text).toContain('# TYPE outbox_backlog_events gauge\noutbox_backlog_events{schema="accounts"} 42\n');
    expect(text).toContain('outbox_oldest_event_age_seconds{schema="accounts"} 1.5\n');
    expect(text).toContain('outbox_relay_active{schema="accounts"} 1\n');
    expect(text).toContain('# TYPE outbox_relay_published_events_total counter\noutbox_relay_published_events_total{schema="accounts"} 1200\n');
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+\{schema="accounts"\} [\d.]+)$/);
  });
});
