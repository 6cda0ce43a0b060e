import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { MetricName } from '@platform/observability';
import { RecordedTelemetry, recordTelemetry } from '@platform/observability/testing';
import { SlowClient, openSlowClient, waitFor } from '@platform/testing';
import { TestApp, request, startTestApp } from '../../test/test-app';

// Started before the app, so the service's instruments register with it.
let telemetry: RecordedTelemetry;

/** The accounts in-flight gauge as the metrics endpoint would serve it. */
async function activeRequests(): Promise<number> {
  const [point] = await telemetry.points(MetricName.HttpServerActiveRequests);
  return (point?.value as number | undefined) ?? Number.NaN;
}

const signup = (t: TestApp) => request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: `${randomUUID()}@example.com`, displayName: 'Slow Clients' } });

async function timedSignup(t: TestApp): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const { status } = await signup(t);
  return { status, ms: performance.now() - started };
}

const portOf = (t: TestApp) => Number(new URL(t.baseUrl).port);

/** `count` clients that declare 200 bytes, send 2, and hang up after `afterMs`, as a phone losing its network does. */
async function abortedUploads(t: TestApp, count: number, headers: Record<string, string>, afterMs = 50): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => openSlowClient({ port: portOf(t), headers, declaredBytes: 200, sendBytes: 2 })));
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  for (const client of clients) client.hangUp();
  await Promise.all(clients.map((client) => client.closed));
}

describe('slow and vanishing clients cannot hold the in-flight cap (default cap of 64)', () => {
  let t: TestApp;
  beforeAll(async () => {
    telemetry = recordTelemetry();
    // Short bounds so the test sees them fire; the defaults are 10 s, 30 s and 5 s.
    t = await startTestApp('slow-clients', { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' });
    expect(t.config.backPressure.maxInFlight).toBe(64);
  });
  afterAll(async () => {
    await t?.close();
    await telemetry?.stop();
  });
  afterEach(async () => {
    // Every test leaves the gauge where it found it: no slot outlives its request.
    await waitFor(async () => ((await activeRequests()) === 0 ? true : undefined), { timeoutMs: 5_000, what: 'no request in flight' });
  });

  it('70 keyless uploads that hang up half-way leave every slot free: the next signup is 201 at once', async () => {
    expect((await signup(t)).status).toBe(201);
    await abortedUploads(t, 70, {});
    const next = await timedSignup(t);
    expect(next.status).toBe(201);
    expect(next.ms).toBeLessThan(1_000);
  });

  it('70 uploads with a valid key that hang up half-way give their slots back too', async () => {
    // These pass the key check and reach the body parser, which waits for bytes that never come.
    await abortedUploads(t, 70, { authorization: `Bearer ${t.apiKey}` }, 200);
    await waitFor(async () => ((await activeRequests()) === 0 ? true : undefined), { timeoutMs: 2_000, what: 'the aborted uploads to give their slots back' });
    const next = await timedSignup(t);
    expect(next.status).toBe(201);
    expect(next.ms).toBeLessThan(1_000);
  });

  it('64 slow keyless uploads held open are refused 401 before their body, and a signup with a key gets 201 meanwhile', async () => {
    const clients: SlowClient[] = await Promise.all(Array.from({ length: 64 }, () => openSlowClient({ port: portOf(t), declaredBytes: 200, sendBytes: 2, tricklePeriodMs: 100 })));
    try {
      const next = await timedSignup(t);
      expect(next.status).toBe(201);
      expect(next.ms).toBeLessThan(1_000);
      const answers = await Promise.all(clients.map((client) => client.answered));
      expect(answers.map((answer) => answer?.status)).toEqual(Array(64).fill(401));
      expect(answers[0]!.head).toMatch(/content-type: application\/problem\+json/i);
      expect(answers[0]!.head).toMatch(/connection: close/i);
      expect(JSON.parse(answers[0]!.body)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    } finally {
      for (const client of clients) client.hangUp();
    }
  });

  it('a keyed upload slower than the request timeout is answered 408 and its connection closed', async () => {
    const started = performance.now();
    const client = await openSlowClient({ port: portOf(t), headers: { authorization: `Bearer ${t.apiKey}` }, declaredBytes: 200, sendBytes: 2, tricklePeriodMs: 100 });
    const answer = await client.answered;
    const tookMs = performance.now() - started;
    expect(answer?.status).toBe(408);
    expect(JSON.parse(answer!.body)).toMatchObject({ code: 'REQUEST_TIMEOUT', status: 408 });
    // 1.5 s bound, checked every 100 ms.
    expect(tookMs).toBeGreaterThanOrEqual(1_400);
    expect(tookMs).toBeLessThan(3_000);
  });

  it('headers that trickle in slower than the headers timeout get 408 and a closed connection', async () => {
    const client = await openSlowClient({ port: portOf(t), declaredBytes: 0, headerLinePeriodMs: 400 });
    const answer = await client.answered;
    expect(answer?.status).toBe(408);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const socket = connect(portOf(t), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    const answeredAt = new Promise<number>((resolve) =>
      socket.on('data', (chunk) => {
        answer += chunk.toString();
        if (answer.includes('\r\n\r\n')) resolve(performance.now());
      }),
    );
    const closedAt = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
    socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    const idleMs = (await closedAt) - (await answeredAt);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toMatch(/keep-alive/i);
    // 500 ms configured; Node closes the socket on its idle timer.
    expect(idleMs).toBeGreaterThanOrEqual(400);
    expect(idleMs).toBeLessThan(2_000);
  });
});
