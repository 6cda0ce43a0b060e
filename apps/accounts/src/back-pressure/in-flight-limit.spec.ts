import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import { limitRequestsInFlight } from './in-flight-limit';
import { SHED_REASON_IN_FLIGHT, inFlightMetrics } from './in-flight.metrics';

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

// One SDK for the file: the cap's instruments register once per process, with the first provider.
let telemetry: RecordedTelemetry;
beforeAll(() => {
  telemetry = recordTelemetry();
});
afterAll(async () => {
  await telemetry.stop();
});

describe('limitRequestsInFlight', () => {
  let server: Server;
  let port: number;
  const held: ServerResponse[] = [];
  /** What an instrumentation wrapping the prototype's emit (as OpenTelemetry's does) gets to see. */
  const instrumented: string[] = [];
  const originalEmit = Server.prototype.emit;

  beforeAll(async () => {
    Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') instrumented.push((args[0] as IncomingMessage).url ?? '');
      return Reflect.apply(originalEmit, this, [event, ...args]) as boolean;
    } as Server['emit'];
    // Requests to /hold stay open until released, so they keep their in-flight slot.
    server = createServer((req, res) => (req.url === '/hold' ? held.push(res) : res.end('ok')));
    limitRequestsInFlight(server, { maxInFlight: 1, retryAfterSeconds: 2, bodyLimitBytes: 1024 }, inFlightMetrics());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    Server.prototype.emit = originalEmit;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
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

describe('limitRequestsInFlight gives every slot back, however the request ends', () => {
  let server: Server;
  let port: number;
  /** Requests the handler has seen; it never answers, as a handler waiting for a body that never comes. */
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req) => seen.push(req.url ?? ''));
    limitRequestsInFlight(server, { maxInFlight: 8, retryAfterSeconds: 1, bodyLimitBytes: 1024 }, inFlightMetrics());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const inFlight = async () => ((await telemetry.points('http.server.active_requests'))[0]?.value as number | undefined) ?? Number.NaN;
  async function settles(value: number): Promise<void> {
    for (let i = 0; i < 100 && (await inFlight()) !== value; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await inFlight()).toBe(value);
  }

  it('when the client of a pipelined request hangs up before the first is answered', async () => {
    // The second response is queued behind the first and never owns the socket, so only the
    // connection's close can tell that it is over.
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n');
    while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await settles(2);
    socket.destroy();
    await settles(0);
  });

  it('when the client hangs up in the middle of its body', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n{"');
    while (!seen.includes('/upload')) await new Promise((resolve) => setTimeout(resolve, 5));
    await settles(1);
    socket.destroy();
    await settles(0);
  });
});
