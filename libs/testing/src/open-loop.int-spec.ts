import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openLoop } from './open-loop';

describe('openLoop against a real HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  let connections = 0;
  const arrivals: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/connect') return void res.end('ok');
      arrivals.push(performance.now());
      req.resume();
      // Every tenth request is slow, and request 13 never gets an answer.
      const index = Number(req.headers['x-index']);
      if (index === 13) return;
      setTimeout(() => {
        res.writeHead(index % 2 === 0 ? 201 : 503, { 'retry-after': '1', 'x-other': 'dropped' });
        res.end();
      }, index % 10 === 0 ? 120 : 1);
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends on an even schedule whatever the answers, times from the schedule, and keeps only the asked headers', async () => {
    const outcomes = await openLoop({
      baseUrl,
      rate: 200,
      count: 60,
      maxSockets: 20,
      timeoutMs: 1_000,
      connect: { method: 'GET', path: '/connect', headers: {} },
      keepHeaders: ['retry-after'],
      request: (index) => ({ method: 'POST', path: '/work', headers: { 'x-index': String(index) }, body: '{}' }),
    });

    // The connections were opened before the first scheduled request, and reused after it.
    expect(connections).toBe(20);
    expect(outcomes).toHaveLength(60);
    // 5 ms apart: a slow answer (every tenth) did not hold back the requests after it.
    const gaps = outcomes.slice(1).map((o, i) => o.scheduledAt - outcomes[i].scheduledAt);
    expect(gaps.every((gap) => Math.abs(gap - 5) < 0.01)).toBe(true);
    const spread = arrivals[arrivals.length - 1] - arrivals[0];
    expect(spread).toBeGreaterThan(250);
    expect(spread).toBeLessThan(600);

    expect(outcomes[13]).toMatchObject({ error: 'timeout' });
    expect(outcomes[13].status).toBeUndefined();
    expect(outcomes[20]).toMatchObject({ status: 201, headers: { 'retry-after': '1' } });
    expect(outcomes[21]).toMatchObject({ status: 503 });
    // The server holds that answer 120 ms by its own timer; performance.now() on either side may read a few µs short.
    expect(outcomes[20].respondedAt! - outcomes[20].scheduledAt).toBeGreaterThanOrEqual(119.9);
    expect(outcomes.filter((o) => o.status !== undefined)).toHaveLength(59);
  });
});
