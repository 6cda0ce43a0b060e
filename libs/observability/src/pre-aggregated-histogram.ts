import { Attributes, HrTime, ValueType } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
// Through sdk-node, as start-telemetry reaches resources: the image installs only dependencies.
import { metrics as sdkMetrics, resources } from '@opentelemetry/sdk-node';

type CollectionResult = sdkMetrics.CollectionResult;
type HistogramMetricData = sdkMetrics.HistogramMetricData;
type MetricProducer = sdkMetrics.MetricProducer;
const { AggregationTemporality, DataPointType } = sdkMetrics;

interface Series {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

export interface HistogramDescriptor {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Upper bounds of the buckets, ascending; a last bucket holds what lies above them. */
  readonly boundaries: readonly number[];
}

/**
 * A histogram for a path that records once per Kafka record. The SDK's histogram hashes the
 * attribute set on every record() (sorting its keys and writing it as JSON): at tens of thousands
 * of records a second that was a tenth of a consumer's allocations. Here an attribute set is bound
 * once, and a record is a bucket search and a few additions; the SDK reads the totals when it
 * collects, through `platformMetricProducer`. Same name, buckets and attributes as an SDK
 * histogram would export: cumulative, explicit buckets.
 */
export class PreAggregatedHistogram {
  private readonly series: Series[] = [];
  private readonly recorders = new Map<string, (value: number) => void>();
  /** Recorders by the callers' own keys (see recorderFor), up to MAX_SERIES of them. */
  private readonly keyed = new Map<string, (value: number) => void>();
  private overflow?: (value: number) => void;

  constructor(
    private readonly scope: string,
    private readonly descriptor: HistogramDescriptor,
  ) {}

  /**
   * The recorder remembered for `key` by bindAs(): a path that records per request or per record
   * names its label set with a string it has at hand, and builds the set only the first time.
   * One key must always stand for one set.
   */
  recorderFor(key: string): ((value: number) => void) | undefined {
    return this.keyed.get(key);
  }

  /** bind(), remembered under `key` for recorderFor() (past MAX_SERIES keys, not remembered). */
  bindAs(key: string, attributes: Attributes): (value: number) => void {
    const recorder = this.bind(attributes);
    if (this.keyed.size < MAX_SERIES) this.keyed.set(key, recorder);
    return recorder;
  }

  /**
   * The recorder of one attribute set; callers keep it (or use recorderFor/bindAs), since finding
   * it again costs the hashing this class exists to avoid. Binding an equal set again returns the
   * same recorder. Past MAX_SERIES sets, new ones share an overflow series, as the SDK's
   * cardinality limit does.
   */
  bind(attributes: Attributes): (value: number) => void {
    const key = attributesKey(attributes);
    const known = this.recorders.get(key);
    if (known) return known;
    if (this.recorders.size >= MAX_SERIES) return (this.overflow ??= this.newSeries(OVERFLOW_ATTRIBUTES));
    const recorder = this.newSeries(attributes);
    this.recorders.set(key, recorder);
    return recorder;
  }

  private newSeries(attributes: Attributes): (value: number) => void {
    const { boundaries } = this.descriptor;
    const series: Series = { attributes, startTime: hrTime(), counts: new Array<number>(boundaries.length + 1).fill(0), sum: 0, count: 0, min: Infinity, max: -Infinity };
    this.series.push(series);
    return (value) => {
      let bucket = 0;
      // A value equal to a bound belongs to that bound's bucket, as in OpenTelemetry's explicit buckets.
      while (bucket < boundaries.length && value > boundaries[bucket]) bucket += 1;
      series.counts[bucket] += 1;
      series.sum += value;
      series.count += 1;
      if (value < series.min) series.min = value;
      if (value > series.max) series.max = value;
    };
  }

  /** The histogram as the SDK's own would export it, or nothing before the first bind. */
  collect(): { scope: string; metric: HistogramMetricData } | undefined {
    if (this.series.length === 0) return undefined;
    const { name, description, unit, boundaries } = this.descriptor;
    const endTime = hrTime();
    return {
      scope: this.scope,
      metric: {
        descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: this.series.map((s) => ({
          startTime: s.startTime,
          endTime,
          attributes: s.attributes,
          value: {
            buckets: { boundaries: [...boundaries], counts: [...s.counts] },
            sum: s.sum,
            count: s.count,
            ...(s.count > 0 ? { min: s.min, max: s.max } : {}),
          },
        })),
      },
    };
  }
}

/** The SDK's default cardinality limit per instrument, and its overflow attribute. */
const MAX_SERIES = 2_000;
const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

function attributesKey(attributes: Attributes): string {
  return JSON.stringify(Object.keys(attributes).sort().map((key) => [key, attributes[key]]));
}

const registered = new Map<string, PreAggregatedHistogram>();

/**
 * The process's histogram of that name, made on first use: like an SDK instrument, every caller
 * asking for one name shares it (several consumers in one process, the tests' many servers).
 */
export function preAggregatedHistogram(scope: string, descriptor: HistogramDescriptor): PreAggregatedHistogram {
  let histogram = registered.get(descriptor.name);
  if (!histogram) {
    histogram = new PreAggregatedHistogram(scope, descriptor);
    registered.set(descriptor.name, histogram);
  }
  return histogram;
}

/** Hands the pre-aggregated histograms to a metric reader; startTelemetry's readers include it. */
export const platformMetricProducer: MetricProducer = {
  async collect(): Promise<CollectionResult> {
    const byScope = new Map<string, HistogramMetricData[]>();
    for (const histogram of registered.values()) {
      const collected = histogram.collect();
      if (!collected) continue;
      byScope.set(collected.scope, [...(byScope.get(collected.scope) ?? []), collected.metric]);
    }
    return {
      // The reader keeps the SDK's resource and takes only the scopes from here.
      resourceMetrics: { resource: resources.emptyResource(), scopeMetrics: [...byScope].map(([name, metrics]) => ({ scope: { name }, metrics })) },
      errors: [],
    };
  },
};
