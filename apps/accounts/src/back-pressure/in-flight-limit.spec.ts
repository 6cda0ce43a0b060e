import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import { limitRequestsInFlight } from './in-flight-limit';
import { SHED_REASON_IN_FLIGHT, shedRequestsCounter } from './shed-requests.metric';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('limitRequestsInFlight', () => {
  let telemetry: RecordedTelemetry;
  let server: Server;
  let port: number;
  const held: ServerResponse[] = [];
  /** What an instrumentation wrapping the prototype's emit (as OpenTelemetry's does) gets to see. */
  const instrumented: string[] = [];
  const originalEmit = Server.prototype.emit;

  beforeAll(async () => {
    telemetry = recordTelemetry();
    Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') instrumented.push((args[0] as IncomingMessage).url ?? '');
      return Reflect.apply(originalEmit, this, [event, ...args]) as boolean;
    } as Server['emit'];
    // Requests to /hold stay open until released, so they keep their in-flight slot.
    server = createServer((req, res) => (req.url === '/hold' ? held.push(res) : res.end('ok')));
    limitRequestsInFlight(server, { maxInFlight: 1, retryAfterSeconds: 2, bodyLimitBytes: 1024 }, shedRequestsCounter());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    Server.prototype.emit = originalEmit;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await telemetry.stop();
  });

  it('refuses past the cap before any instrumentation sees the request, and counts each refusal', async () => {
    const holding = get(port, '/hold');
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const refused = await Promise.all([get(port, '/v1/accounts'), get(port, '/v1/accounts?email=x')]);
    expect(refused.map((r) => r.status)).toEqual([503, 503]);
    expect(JSON.parse(refused[0].body)).toMatchObject({ code: 'OVERLOADED' });
    expect((await get(port, '/health/live')).status).toBe(200);
    expect(instrumented).toEqual(['/hold', '/health/live']);
    const [shed] = await telemetry.points('http.server.requests.shed');
    expect(shed).toMatchObject({ value: 2, attributes: { reason: SHED_REASON_IN_FLIGHT } });

    held[0].end('done');
    await holding;
    expect((await get(port, '/after')).status).toBe(200);
    expect(instrumented).toEqual(['/hold', '/health/live', '/after']);
  });
});
