import { ConfigError } from '@platform/config';
import { readTelemetrySettings } from './telemetry-settings';

describe('readTelemetrySettings', () => {
  it('serves Prometheus on 127.0.0.1:9464 and records no spans when nothing is set', () => {
    expect(readTelemetrySettings({}, 'accounts')).toEqual({
      disabled: false,
      serviceName: 'accounts',
      tracing: false,
      prometheus: { host: '127.0.0.1', port: 9464, path: '/metrics' },
    });
  });

  it('traces once an OTLP endpoint is set, or an exporter is named', () => {
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'a').tracing).toBe(true);
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, 'a').tracing).toBe(true);
    expect(readTelemetrySettings({ OTEL_TRACES_EXPORTER: 'console' }, 'a').tracing).toBe(true);
    expect(readTelemetrySettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'a').tracing).toBe(false);
  });

  it('takes the service name, metrics address and switches from the standard variables', () => {
    const settings = readTelemetrySettings(
      { OTEL_SERVICE_NAME: 'relay-eu', OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0', OTEL_EXPORTER_PROMETHEUS_PORT: '9465' },
      'accounts-relay',
    );
    expect(settings.serviceName).toBe('relay-eu');
    expect(settings.prometheus).toEqual({ host: '0.0.0.0', port: 9465, path: '/metrics' });
    expect(readTelemetrySettings({ OTEL_METRICS_EXPORTER: 'none' }, 'a').prometheus).toBeUndefined();
    expect(readTelemetrySettings({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, 'a')).toEqual({ disabled: true, serviceName: 'a', tracing: false });
  });

  it('names every unusable value at once', () => {
    let thrown: unknown;
    try {
      readTelemetrySettings({ OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_PROMETHEUS_PORT: '0' }, 'a');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      'OTEL_METRICS_EXPORTER must be one of prometheus, none, got "otlp"',
      'OTEL_EXPORTER_PROMETHEUS_PORT must be an integer between 1 and 65535, got "0"',
    ]);
  });
});
