import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AggregationTemporality, DataPoint, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { platformMetricProducer } from '../src';

/** A reader that hands over what the SDK holds when asked, instead of exporting on a timer. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE, metricProducers: [platformMetricProducer] });
  }
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

export interface RecordedTelemetry {
  /** Finished spans so far. */
  spans(): ReadableSpan[];
  /** The data points of one metric as collected now; empty when it has none. */
  points(name: string): Promise<DataPoint<unknown>[]>;
  /** Forgets the spans recorded so far. */
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A real SDK in the test process, recording every span and collecting metrics on demand, with the
 * W3C propagator and async context as the apps have them. One per test file (jest gives each file
 * its own globals); stop() unregisters it.
 */
export function recordTelemetry(): RecordedTelemetry {
  const exporter = new InMemorySpanExporter();
  const reader = new CollectingReader();
  const sdk = new NodeSDK({
    serviceName: 'test',
    autoDetectResources: false,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    metricReaders: [reader],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    spans: () => exporter.getFinishedSpans(),
    async points(name: string) {
      const { resourceMetrics } = await reader.collect();
      const found = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === name);
      return (found?.dataPoints ?? []) as DataPoint<unknown>[];
    },
    reset: () => exporter.reset(),
    async stop() {
      await sdk.shutdown();
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
}
