import { seriesReadBy } from './alert-rules';

describe('seriesReadBy', () => {
  it('finds the metrics behind aggregations, functions, matchers, ranges and label lists', () => {
    expect(seriesReadBy('sum by (group, topic) (increase(consumer_records_dead_lettered_total{group=~"a.*"}[5m])) > 0')).toEqual(['consumer_records_dead_lettered_total']);
    expect(seriesReadBy('histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_bucket{route="/v1/x"}[5m]))) > 0.2')).toEqual([
      'http_server_request_duration_bucket',
    ]);
  });

  it('keeps every operand of binary operators and set operations, and drops their keywords', () => {
    expect(seriesReadBy('outbox_relay_kafka_up == 0 and on (instance, outbox_schema) outbox_relay_active == 1')).toEqual(['outbox_relay_kafka_up', 'outbox_relay_active']);
    expect(seriesReadBy('(sum(rate(a_total[5m])) or vector(0)) / ignoring (reason) (b_total unless c) > bool 1')).toEqual(['a_total', 'b_total', 'c']);
  });

  it('reads past offsets and numbers with units', () => {
    expect(seriesReadBy('sum(dead_total unless dead_total offset 5m) > 1e3 or other_total offset -1h30m > 0')).toEqual(['dead_total', 'other_total']);
  });

  it('reads absent() and bare selectors', () => {
    expect(seriesReadBy('absent(outbox_relay_active)')).toEqual(['outbox_relay_active']);
    expect(seriesReadBy('smtp_circuit_breaker_open')).toEqual(['smtp_circuit_breaker_open']);
  });
});
