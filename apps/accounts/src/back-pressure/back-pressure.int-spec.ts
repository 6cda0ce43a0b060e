import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { HTTP_SERVER_DURATION_METRIC, platformMetricProducer } from '@platform/observability';
import { waitFor } from '@platform/testing';
import { TestApp, request, startTestApp } from '../../test/test-app';
import { OutboxBacklogMonitor } from './outbox-backlog.monitor';
import { PoolPressure } from './pool-pressure';

/** Requests in the process's request-duration histogram (tracing is off in tests) with these attributes. */
async function measuredRequests(attributes: Record<string, string | number>): Promise<number> {
  const { resourceMetrics } = await platformMetricProducer.collect();
  let requests = 0;
  for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
    if (metric.descriptor.name !== HTTP_SERVER_DURATION_METRIC) continue;
    for (const point of metric.dataPoints as ReadonlyArray<{ attributes: Record<string, unknown>; value: { count: number } }>) {
      if (Object.entries(attributes).every(([name, value]) => point.attributes[name] === value)) requests += point.value.count;
    }
  }
  return requests;
}

const signup = (t: TestApp) => request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: `${randomUUID()}@example.com`, displayName: 'Pressure' } });

describe('back-pressure over a real pool: 503 instead of an unbounded queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('backpressure-pool', { DATABASE_POOL_SIZE: '2', BACKPRESSURE_MAX_POOL_WAITERS: '2', BACKPRESSURE_POOL_RETRY_AFTER: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 + Retry-After while every connection is stuck and the wait queue is full, then recovers', async () => {
    const created = await signup(t);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const etag = created.headers.get('etag')!;

    // Hold the account's row lock from outside the app: each PATCH then takes a pooled
    // connection and waits on the lock, exactly like requests piling up behind a slow query.
    const blocker = await (t.db as DataSource).createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`SELECT 1 FROM accounts.accounts WHERE id = $1 FOR UPDATE`, [id]);
    const patch = () => request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { displayName: 'x' }, headers: { 'if-match': etag } });
    try {
      const stuck = Array.from({ length: 6 }, () => patch());
      // Two requests hold both connections and the next ones queue in the pool; the test waits
      // for the queue to fill, then asks for something that needs no lock at all.
      const pool = t.app.get(PoolPressure);
      await waitFor(() => (pool.waiting >= 2 ? true : undefined), { timeoutMs: 4_000, what: 'two queries queued for a connection' });
      const shed = await request(t.baseUrl, 'GET', `/v1/accounts/${id}`);
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      expect(shed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(shed.body).toMatchObject({ code: 'OVERLOADED', status: 503 });
      // Probes are never shed: liveness must not fail because the service is busy.
      expect((await request(t.baseUrl, 'GET', '/health/live', { anonymous: true })).status).toBe(200);

      await blocker.rollbackTransaction();
      const outcomes = (await Promise.all(stuck)).map((r) => r.status);
      // Whoever got in finished (one 200, the rest 412 on the stale ETag); whoever was shed got 503.
      expect(outcomes.every((s) => [200, 412, 503].includes(s))).toBe(true);
      expect(outcomes.filter((s) => s === 200)).toHaveLength(1);
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
    expect((await request(t.baseUrl, 'GET', `/v1/accounts/${id}`)).status).toBe(200);
  });
});

describe('back-pressure on the outbox backlog', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No relay runs here, so every sign-up stays in the outbox.
    t = await startTestApp('backpressure-outbox', { BACKPRESSURE_MAX_OUTBOX_BACKLOG: '3', BACKPRESSURE_BACKLOG_RETRY_AFTER: '7', BACKPRESSURE_SAMPLE_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses writes with 503 + Retry-After once the relay is that far behind, keeps serving reads, and resumes when it drains', async () => {
    for (let i = 0; i < 3; i++) expect((await signup(t)).status).toBe(201);
    const monitor = t.app.get(OutboxBacklogMonitor);
    await waitFor(async () => (monitor.backlog >= 3 ? true : undefined), { timeoutMs: 5_000, what: 'the backlog sample to see 3 events' });

    const refused = await signup(t);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.body).toMatchObject({ code: 'EVENT_BACKLOG' });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM accounts.accounts`))[0].n).toBe(3);
    expect((await request(t.baseUrl, 'GET', '/v1/accounts')).status).toBe(200);

    // What the relay does once Kafka is back: publish and delete.
    await t.db.query(`DELETE FROM accounts.outbox`);
    await waitFor(async () => (monitor.backlog === 0 ? true : undefined), { timeoutMs: 5_000, what: 'the backlog sample to see 0' });
    expect((await signup(t)).status).toBe(201);
  });
});

describe('back-pressure on requests in progress, before the body is read', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('backpressure-inflight', { BACKPRESSURE_MAX_IN_FLIGHT: '2', BACKPRESSURE_POOL_RETRY_AFTER: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 at once while the cap is reached, keeps the probes open, and admits again when requests finish', async () => {
    const listed = { 'http.request.method': 'GET', 'http.route': '/v1/accounts', 'http.response.status_code': 200 };
    const listedBefore = await measuredRequests(listed);
    const overloadedBefore = await measuredRequests({ 'http.response.status_code': 503 });
    const created = await signup(t);
    const id = created.body.id as string;
    const blocker = await (t.db as DataSource).createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`SELECT 1 FROM accounts.accounts WHERE id = $1 FOR UPDATE`, [id]);
    const patch = () => request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { displayName: 'x' }, headers: { 'if-match': created.headers.get('etag')! } });
    try {
      // One at a time, each seen waiting on the row lock, so the probe itself never takes a slot.
      const waitingOnLock = async () =>
        (await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`))[0].n;
      const stuck = [patch()];
      await waitFor(async () => ((await waitingOnLock()) === 1 ? true : undefined), { timeoutMs: 5_000, what: 'the first PATCH to wait' });
      stuck.push(patch());
      await waitFor(async () => ((await waitingOnLock()) === 2 ? true : undefined), { timeoutMs: 5_000, what: 'the second PATCH to wait' });
      const shed = await request(t.baseUrl, 'GET', '/v1/accounts');
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('3');
      expect(shed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(shed.body).toMatchObject({ code: 'OVERLOADED', status: 503, instance: '/v1/accounts' });
      expect((await request(t.baseUrl, 'GET', '/health/live', { anonymous: true })).status).toBe(200);

      // A refused request with a small declared body keeps its connection: the body left unread
      // is discarded, and the next request on the same socket is parsed cleanly.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const body = JSON.stringify({ email: 'kept@example.com', displayName: 'Kept' });
        const first = await rawPost(t.baseUrl, agent, body, { 'content-length': String(Buffer.byteLength(body)) });
        const second = await rawPost(t.baseUrl, agent, body, { 'content-length': String(Buffer.byteLength(body)) });
        expect([first.status, first.connection, JSON.parse(first.body).code]).toEqual([503, 'keep-alive', 'OVERLOADED']);
        expect([second.status, second.reusedSocket, JSON.parse(second.body).code]).toEqual([503, true, 'OVERLOADED']);
        // A chunked upload of unknown size is not read just to be thrown away: that connection closes.
        const chunked = await rawPost(t.baseUrl, agent, body, { 'transfer-encoding': 'chunked' });
        expect([chunked.status, chunked.connection]).toEqual([503, 'close']);
      } finally {
        agent.destroy();
      }
      await blocker.rollbackTransaction();
      expect((await Promise.all(stuck)).map((r) => r.status).sort()).toEqual([200, 412]);
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
    expect((await request(t.baseUrl, 'GET', '/v1/accounts')).status).toBe(200);
    // Refusals at the cap are counted apart, not measured; admitted requests are, by their route.
    expect(await measuredRequests({ 'http.response.status_code': 503 })).toBe(overloadedBefore);
    expect(await measuredRequests(listed)).toBe(listedBefore + 1);
  });
});

/** A POST over node:http, to see the connection itself: its Connection header and whether the socket was reused. */
function rawPost(baseUrl: string, agent: Agent, body: string, headers: Record<string, string>): Promise<{ status: number; connection?: string; reusedSocket: boolean; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}/v1/accounts`, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reusedSocket: req.reusedSocket, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
