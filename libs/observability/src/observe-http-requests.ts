import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { HTTP_SERVER_DURATION_BUCKETS_SECONDS, HTTP_SERVER_DURATION_METRIC } from './metric-names';
import { preAggregatedHistogram } from './pre-aggregated-histogram';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** Methods the conventions keep as they are; any other is recorded as `_OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/** Requests that are the platform watching itself, not work: no spans, no request metrics. */
export const UNOBSERVED_PATHS = /^\/(health(\/|$)|metrics(\?|$))/;

let instrumented = false;

/** Called by startTelemetry when it starts the HTTP instrumentation (tracing on). */
export function markHttpInstrumented(): void {
  instrumented = true;
}

/**
 * What an HTTP server gets from OpenTelemetry while tracing is off: the request-duration
 * histogram, and the caller's trace context active while the request is handled (log lines
 * name the caller's trace; code that reads the active context passes it on).
 *
 * The HTTP instrumentation gives both, but it also builds a span's worth of attributes per
 * request (the URL parsed, forwarded headers, the peer) for a span nobody records: on the
 * sign-up path that was a quarter of the service's CPU. While tracing, it runs instead (spans
 * need it) and this is a no-op.
 *
 * The series are the instrumentation's: `http.server.request.duration` with the method
 * (`_OTHER` for unknown ones), scheme, protocol version, status code, the route Express matched,
 * and `error.type` for 5xx; from the request event to the response's `close`; health and metrics
 * paths not measured. It wraps this server's own `emit`: a gate installed after it (the accounts
 * in-flight cap) answers first, and its refusals are not measured.
 */
export function observeHttpRequests(server: Server): void {
  if (instrumented) return;
  const durations = preAggregatedHistogram('@platform/observability', {
    name: HTTP_SERVER_DURATION_METRIC,
    description: 'Duration of HTTP server requests.',
    unit: 's',
    boundaries: HTTP_SERVER_DURATION_BUCKETS_SECONDS,
  });
  // Keyed by a string, so that a request finds its recorder without building an attribute set.
  const recorderFor = (method: string, version: string, status: number, route: string | undefined) => {
    const key = `${method} ${version} ${status} ${route ?? ''}`;
    return (
      durations.recorderFor(key) ??
      durations.bindAs(key, {
        'http.request.method': method,
        'url.scheme': 'http',
        ...(version ? { 'network.protocol.version': version } : {}),
        'http.response.status_code': status,
        ...(route === undefined ? {} : { 'http.route': route }),
        ...(status >= 500 && status < 600 ? { 'error.type': String(status) } : {}),
      })
    );
  };

  const emit = server.emit;
  server.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return Reflect.apply(emit, this, [event, ...args]) as boolean;
    const req = args[0] as RoutedRequest;
    if (!UNOBSERVED_PATHS.test(req.url ?? '')) {
      const started = performance.now();
      (args[1] as ServerResponse).once('close', function (this: ServerResponse) {
        const method = (req.method ?? 'GET').toUpperCase();
        const path = req.route?.path;
        const route = typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
        recorderFor(KNOWN_METHODS.has(method) ? method : '_OTHER', req.httpVersion, this.statusCode, route)((performance.now() - started) / 1000);
      });
    }
    return context.with(propagation.extract(ROOT_CONTEXT, req.headers), () => Reflect.apply(emit, this, [event, ...args]) as boolean);
  } as Server['emit'];
}
