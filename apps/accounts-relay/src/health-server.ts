import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorCode } from '@platform/contracts';
import type { RelayStatus } from '@platform/outbox';

export interface HealthSources {
  status(): RelayStatus;
}

/**
 * Liveness and readiness on plain node:http: the relay has no other HTTP surface, so a framework
 * would only add start-up time. Metrics are served by the OpenTelemetry SDK on the app's metrics
 * port (OTEL_EXPORTER_PROMETHEUS_PORT), like every other app's.
 *
 *   /health/live   200 while the process runs its event loop
 *   /health/ready  200 while the relay's database session is up (active or standby), else 503
 */
export function createHealthServer(sources: HealthSources): Server {
  return createServer((request, response) => {
    handle(sources, request, response).catch((error) => {
      send(response, 500, { status: 'error', code: errorCode(error) });
    });
  });
}

async function handle(sources: HealthSources, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://relay');
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { status: 'method not allowed' });
  switch (url.pathname) {
    case '/health/live':
      return send(response, 200, { status: 'ok' });
    case '/health/ready': {
      const status = sources.status();
      const ready = status.database === 'up' && status.role !== 'stopped';
      return send(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', role: status.role, database: status.database, kafka: status.kafka });
    }
    default:
      return send(response, 404, { status: 'not found' });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Resolves with the bound port (useful when configured as 0). */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
