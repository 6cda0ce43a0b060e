import type { Server } from 'node:http';
import type { Backlog, RelayStatus } from '@platform/outbox';
import { closeServer, createHealthServer, listen } from './health-server';

describe('health server', () => {
  let server: Server;
  let base: string;
  let status: RelayStatus;
  let backlog: () => Promise<Backlog>;

  beforeEach(async () => {
    status = { role: 'standby', database: 'up', kafka: 'unknown', publishedEvents: 0, publishedBatches: 0, lastPublishedAt: null };
    backlog = async () => ({ events: 3, oldestAgeSeconds: 2, oldestCreatedAt: new Date() });
    server = createHealthServer({ schema: 'accounts', status: () => status, backlog: () => backlog() });
    base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
  });

  afterEach(() => closeServer(server));

  it('is live regardless of dependencies', async () => {
    status = { ...status, database: 'down' };
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  it('is ready with its database session up, as active or standby, and says which', async () => {
    const standby = await fetch(`${base}/health/ready`);
    expect(standby.status).toBe(200);
    expect(await standby.json()).toEqual({ status: 'ready', role: 'standby', database: 'up', kafka: 'unknown' });
    status = { ...status, role: 'active', kafka: 'down' };
    expect(await (await fetch(`${base}/health/ready`)).json()).toMatchObject({ status: 'ready', role: 'active', kafka: 'down' });
  });

  it('is not ready without its database session or once stopped', async () => {
    status = { ...status, database: 'down' };
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
    status = { ...status, database: 'up', role: 'stopped' };
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
  });

  it('serves the backlog as Prometheus text or JSON', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('outbox_backlog_events{schema="accounts"} 3');
    const json = await (await fetch(`${base}/metrics?format=json`)).json();
    expect(json).toMatchObject({ backlogEvents: 3, oldestEventAgeSeconds: 2, role: 'standby' });
    const negotiated = await fetch(`${base}/metrics`, { headers: { accept: 'application/json' } });
    expect(negotiated.headers.get('content-type')).toBe('application/json');
  });

  it('answers 503 with a code when the backlog cannot be read', async () => {
    backlog = async () => {
      throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    };
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'backlog unavailable', code: 'UNCLASSIFIED' });
  });

  it('answers 404 for anything else', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
