import { DiagLogLevel, diag } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, metrics as sdkMetrics, resources } from '@opentelemetry/sdk-node';
import { hostname } from 'node:os';
import { ConfigError, Env } from '@platform/config';
import { createJsonLogger } from './json-logger';
import { TelemetrySettings, readTelemetrySettings } from './telemetry-settings';
import { HTTP_SERVER_DURATION_BUCKETS_SECONDS, HTTP_SERVER_DURATION_METRIC } from './metric-names';
import { platformMetricProducer } from './pre-aggregated-histogram';
import { UNOBSERVED_PATHS, markHttpInstrumented } from './observe-http-requests';

/** Query parameters whose values never reach a span: `?email=` lists accounts by address. */
const REDACTED_QUERY_PARAMETERS = ['email', 'sig', 'signature', 'X-Goog-Signature', 'AWSAccessKeyId', 'X-Amz-Signature'];

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK for one app. Called from the app's telemetry.ts, which main.ts
 * imports before anything else, so `http` and `pg` are instrumented before the app loads them.
 *
 * Instrumented only while tracing: incoming HTTP (not outgoing: the apps make none besides the
 * exporter's), and PostgreSQL queries inside a traced operation (a poll loop's queries would be
 * root spans of their own, noise). With tracing off both would cost every request and query for
 * spans nobody records; an HTTP app then gets its request metrics and the caller's trace context
 * from observeHttpRequests. Nothing else: fs, dns and net instrumentations cost every call and
 * say little here. Kafka spans are made by the outbox and the consumer runtime, which know which
 * context a record belongs to (see messaging-spans.ts).
 */
export function startTelemetry(defaultServiceName: string, env: Env = process.env): TelemetrySettings {
  const log = createJsonLogger({ service: defaultServiceName, base: { context: 'telemetry' } });
  let settings: TelemetrySettings;
  try {
    settings = readTelemetrySettings(env, defaultServiceName);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Before main() has a logger or a config: fail the start the same way a bad config does.
    log.error('invalid telemetry configuration', { code: 'CONFIG_INVALID', problems: error.problems });
    process.exit(1);
  }
  if (settings.disabled) return settings;
  // Export failures and the like; OTEL_LOG_LEVEL, read by the SDK, replaces this with its own.
  diag.setLogger({ error: (msg) => log.error(`opentelemetry: ${msg}`), warn: (msg) => log.warn(`opentelemetry: ${msg}`), info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);

  const prometheus = settings.prometheus;
  sdk = new NodeSDK({
    serviceName: settings.serviceName,
    // Synchronous detectors only (OTEL_RESOURCE_ATTRIBUTES, the process) and the host name: the
    // host detector's machine id settles later, and a scrape before that logs an error.
    resourceDetectors: [resources.envDetector, resources.processDetector],
    resource: resources.defaultResource().merge(resources.resourceFromAttributes({ 'host.name': hostname() })),
    instrumentations: settings.tracing
      ? [
          new HttpInstrumentation({
            ignoreIncomingRequestHook: (request) => UNOBSERVED_PATHS.test(request.url ?? ''),
            disableOutgoingRequestInstrumentation: true,
            redactedQueryParamsServer: REDACTED_QUERY_PARAMETERS,
          }),
          new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true, enhancedDatabaseReporting: false }),
        ]
      : [],
    metricReaders: prometheus
      ? [
          new PrometheusExporter({ host: prometheus.host, port: prometheus.port, endpoint: prometheus.path, metricProducers: [platformMetricProducer] }, (error) => {
            // Metrics are not worth a crash loop: the app works, the scrape fails and alerts.
            if (error) log.error('metrics endpoint could not start', { host: prometheus.host, port: prometheus.port, error });
          }),
        ]
      : [],
    views: [
      {
        instrumentName: HTTP_SERVER_DURATION_METRIC,
        aggregation: { type: sdkMetrics.AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: HTTP_SERVER_DURATION_BUCKETS_SECONDS } },
      },
    ],
    // With no processors the SDK registers no tracer provider: spans are never recorded.
    ...(settings.tracing ? {} : { spanProcessors: [] }),
    logRecordProcessors: [],
  });
  if (settings.tracing) markHttpInstrumented();
  sdk.start();
  return settings;
}

/** Exports the spans still buffered; called on shutdown, bounded so a dead collector cannot hold the exit. */
export async function shutdownTelemetry(timeoutMs = 3_000): Promise<void> {
  const running = sdk;
  sdk = undefined;
  if (!running) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    running.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
