import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from '@platform/config';

export const HealthPath = { Live: '/health/live', Ready: '/health/ready' } as const;

/** What the probes report; asked on every request, so they always say how things are now. */
export interface HealthProbes {
  /** False only when the process cannot recover and must be replaced. */
  live(): boolean;
  /** Whether to take work, with what the answer is based on (shown in the body). */
  ready(): { readonly ready: boolean } & Record<string, unknown>;
}

/**
 * A bare node:http server for the orchestrator's probes, for the apps without an HTTP app of
 * their own (the consumers, the relay): the probes must answer even while a framework is still
 * starting or already draining, and a framework would only add start-up time. Metrics are not
 * here: the OpenTelemetry SDK serves them on the metrics port.
 *
 *   /health/live   200 while live, else 503
 *   /health/ready  200 while ready, else 503
 */
export class HealthServer {
  private server?: Server;

  constructor(
    private readonly probes: HealthProbes,
    /** Shown in every probe's body, e.g. which consumer this is. */
    private readonly details: Record<string, unknown> = {},
  ) {}

  /** Resolves with the bound address (the port is useful when configured as 0). */
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
    if (server) await closeHttpServer(server);
  }

  private respond(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { status: 'method not allowed' });
    try {
      if (path === HealthPath.Live) {
        const live = this.probes.live();
        return send(res, live ? 200 : 503, { status: live ? 'ok' : 'crashed', ...this.details });
      }
      if (path === HealthPath.Ready) {
        const snapshot = this.probes.ready();
        return send(res, snapshot.ready ? 200 : 503, { status: snapshot.ready ? 'ready' : 'not ready', ...this.details, ...snapshot });
      }
    } catch (error) {
      // A probe that throws says nothing either way; 500 tells the orchestrator so without a stack.
      return send(res, 500, { status: 'error', error: (error as Error)?.message });
    }
    send(res, 404, { status: 'not found' });
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'cache-control': 'no-store' });
  res.end(json);
}
