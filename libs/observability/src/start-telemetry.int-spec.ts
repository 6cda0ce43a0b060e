import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { OtlpReceiver, OtlpSpanKind, PrometheusSample, freePort, parsePrometheusText, sumOf, waitFor } from '@platform/testing';

const ROOT = join(__dirname, '..', '..', '..');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

/**
 * The labels of the `/fail` request's series: the same from the instrumentation and from
 * observeHttpRequests, apart from `otel_scope_*`, which say which of the two recorded it.
 */
const FAILED_REQUEST_LABELS = { http_request_method: 'GET', url_scheme: 'http', network_protocol_version: '1.1', http_response_status_code: '500', error_type: '500' };

function failedRequestSeries(samples: PrometheusSample[]): Record<string, string>[] {
  return samples
    .filter((s) => s.name === 'http_server_request_duration_count' && s.labels.http_response_status_code === '500')
    .map((s) => Object.fromEntries(Object.entries(s.labels).filter(([name]) => !name.startsWith('otel_scope_'))));
}

interface Probe {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Runs test/telemetry-probe.ts with exactly `env` (no OTEL_* of the machine running the test). */
async function startProbe(env: Record<string, string>): Promise<Probe> {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'libs/observability/test/telemetry-probe.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const port = await waitFor(() => /"listening":(\d+)/.exec(output)?.[1], { what: `the probe to listen:\n${output}`, timeoutMs: 30_000 });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('startTelemetry in a process of its own', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
  });
  afterAll(() => receiver.stop());

  it('exports server spans to OTLP, continues the caller\'s trace and serves request metrics', async () => {
    const metricsPort = await freePort();
    const probe = await startProbe({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    try {
      const answer = (await (await fetch(`${probe.url}/work`, { headers: { traceparent: TRACEPARENT } })).json()) as { traceparent?: string };
      await fetch(`${probe.url}/fail`);
      await fetch(`${probe.url}/health/ready`);

      // The context an event would carry is the server span's, in the caller's trace.
      expect(answer.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
      const [server] = await waitFor(() => {
        const spans = receiver.spans(TRACE_ID);
        return spans.length > 0 ? spans : undefined;
      }, { what: 'the server span at the receiver' });
      expect(server).toMatchObject({ service: 'telemetry-probe', kind: OtlpSpanKind.Server, parentSpanId: CALLER_SPAN, attributes: expect.objectContaining({ 'http.request.method': 'GET' }) });
      expect(answer.traceparent).toContain(server.spanId);

      const samples = parsePrometheusText(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
      expect(sumOf(samples, 'http_server_request_duration_count')).toBe(2);
      expect(sumOf(samples, 'http_server_request_duration_count', { http_response_status_code: '500' })).toBe(1);
      expect(failedRequestSeries(samples)).toEqual([FAILED_REQUEST_LABELS]);
      // The 200 ms objective is a bucket bound.
      expect(samples.some((s) => s.name === 'http_server_request_duration_bucket' && s.labels.le === '0.2')).toBe(true);
      // Pre-aggregated histograms are served beside the SDK's, as histograms with their buckets.
      expect(sumOf(samples, 'probe_work_duration_count', { path: '/work' })).toBe(1);
      expect(sumOf(samples, 'probe_work_duration_bucket', { path: '/work', le: '0.01' })).toBe(0);
      expect(sumOf(samples, 'probe_work_duration_bucket', { path: '/work', le: '0.1' })).toBe(1);

      // The log line of the traced request names its trace, and not the address it was given.
      const line = probe.output().split('\n').find((l) => l.includes('"handled"') && l.includes(TRACE_ID));
      expect(line).toBeDefined();
      expect(probe.output()).not.toContain('ada@example.com');
    } finally {
      await probe.stop();
    }
  });

  it('serves the same request metrics with tracing off, without the HTTP instrumentation', async () => {
    const metricsPort = await freePort();
    const probe = await startProbe({ OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) });
    try {
      await fetch(`${probe.url}/work`);
      await fetch(`${probe.url}/fail`);
      await fetch(`${probe.url}/work`, { method: 'PURGE' });
      await fetch(`${probe.url}/health/ready`);
      await fetch(`${probe.url}/metrics`);

      const samples = await waitFor(async () => {
        const scraped = parsePrometheusText(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
        return sumOf(scraped, 'http_server_request_duration_count') === 3 ? scraped : undefined;
      }, { what: 'three measured requests (health and metrics paths are not measured)' });
      expect(failedRequestSeries(samples)).toEqual([FAILED_REQUEST_LABELS]);
      expect(sumOf(samples, 'http_server_request_duration_count', { otel_scope_name: '@platform/observability' })).toBe(3);
      expect(sumOf(samples, 'http_server_request_duration_count', { http_request_method: '_OTHER' })).toBe(1);
      expect(sumOf(samples, 'http_server_request_duration_bucket', { http_response_status_code: '200', le: '0.2' })).toBe(2);
      expect(sumOf(samples, 'http_server_request_duration_sum')).toBeGreaterThan(0);
    } finally {
      await probe.stop();
    }
  });

  it('records no spans without an exporter, and still passes the caller\'s trace context on', async () => {
    const before = receiver.spans().length;
    const probe = await startProbe({ OTEL_METRICS_EXPORTER: 'none' });
    try {
      const answer = (await (await fetch(`${probe.url}/work`, { headers: { traceparent: TRACEPARENT } })).json()) as { traceparent?: string };
      expect(answer.traceparent).toBe(TRACEPARENT);
      // Log lines written while handling it name the caller's trace.
      expect(probe.output().split('\n').find((l) => l.includes('"handled"'))).toContain(TRACE_ID);
    } finally {
      await probe.stop();
    }
    expect(receiver.spans().length).toBe(before);
  });
});
