import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from './readiness';

export const HealthPath = { Live: '/health/live', Ready: '/health/ready' } as const;

/**
 * A bare node:http server for the orchestrator's probes. A consumer has no HTTP app of its own,
 * and the probes must answer even while Nest is still starting or already draining.
 */
export class HealthServer {
  private server?: Server;

  constructor(
    private readonly readiness: Readiness,
    private readonly details: Record<string, unknown>,
  ) {}

  async start(host: string, port: number): Promise<AddressInfo> {
    const server = createServer((req, res) => this.respond(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private respond(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { status: 'method not allowed' });
    if (path === HealthPath.Live) {
      const live = this.readiness.live;
      return send(res, live ? 200 : 503, { status: live ? 'ok' : 'crashed', ...this.details });
    }
    if (path === HealthPath.Ready) {
      const snapshot = this.readiness.snapshot();
      return send(res, snapshot.ready ? 200 : 503, { status: snapshot.ready ? 'ready' : 'not ready', ...this.details, ...snapshot });
    }
    send(res, 404, { status: 'not found' });
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'cache-control': 'no-store' });
  res.end(json);
}
