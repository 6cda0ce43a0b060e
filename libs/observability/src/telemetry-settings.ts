import { Env, EnvReader } from '@platform/config';

/**
 * What startTelemetry does, from the standard OTEL_* variables. The SDK reads most of them
 * itself (endpoint, protocol, headers, sampler, batch delays, resource attributes); this decides
 * only what the platform's defaults change:
 *
 * - Traces are exported only when asked: OTEL_TRACES_EXPORTER names an exporter, or an OTLP
 *   endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Without
 *   either, no tracer provider is registered at all, so no span is ever recorded (the SDK's own
 *   default would send to localhost:4318 and log a failure per batch). Trace context still flows:
 *   an incoming traceparent is passed on unchanged to the events a request or event causes.
 * - Metrics are served for Prometheus unless OTEL_METRICS_EXPORTER=none: at
 *   http://OTEL_EXPORTER_PROMETHEUS_HOST:OTEL_EXPORTER_PROMETHEUS_PORT/metrics, 127.0.0.1:9464
 *   by default (containers set the host to 0.0.0.0).
 * - Logs are the apps' own JSON lines on stdout; the OTLP log exporter is never started.
 */
export interface TelemetrySettings {
  /** OTEL_SDK_DISABLED=true: nothing is started, not even context propagation. */
  readonly disabled: boolean;
  readonly serviceName: string;
  /** A tracer provider is registered and exports as OTEL_TRACES_EXPORTER (default otlp) says. */
  readonly tracing: boolean;
  readonly prometheus?: { readonly host: string; readonly port: number; readonly path: string };
}

export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_PROMETHEUS_HOST = '127.0.0.1';
export const PROMETHEUS_PATH = '/metrics';
/** OTEL_METRICS_EXPORTER values this platform serves; the SDK's otlp and console are not wired. */
export const METRICS_EXPORTERS = ['prometheus', 'none'] as const;

export function readTelemetrySettings(env: Env, defaultServiceName: string): TelemetrySettings {
  const reader = new EnvReader(env);
  const disabled = reader.bool('OTEL_SDK_DISABLED', false);
  const serviceName = reader.string('OTEL_SERVICE_NAME', defaultServiceName);
  const tracesExporter = reader.optionalString('OTEL_TRACES_EXPORTER');
  const endpoint = reader.optionalString('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? reader.optionalString('OTEL_EXPORTER_OTLP_ENDPOINT');
  const tracing = tracesExporter === undefined ? endpoint !== undefined : tracesExporter.split(',').some((name) => !['none', 'null', ''].includes(name.trim()));
  const metrics = reader.oneOf('OTEL_METRICS_EXPORTER', METRICS_EXPORTERS, 'prometheus');
  const host = reader.string('OTEL_EXPORTER_PROMETHEUS_HOST', DEFAULT_PROMETHEUS_HOST);
  // The exporter cannot listen on port 0 (it takes 0 for "unset"): tests pick free ports instead.
  const port = reader.int('OTEL_EXPORTER_PROMETHEUS_PORT', DEFAULT_PROMETHEUS_PORT, { min: 1, max: 65_535 });
  reader.done();
  return {
    disabled,
    serviceName,
    tracing: tracing && !disabled,
    ...(metrics === 'prometheus' && !disabled ? { prometheus: { host, port, path: PROMETHEUS_PATH } } : {}),
  };
}
