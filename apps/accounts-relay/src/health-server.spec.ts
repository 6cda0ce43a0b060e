import type { Server } from 'node:http';
import type { RelayStatus } from '@platform/outbox';
import { closeServer, createHealthServer, listen } from './health-server';

describe('health server', () => {
  let server: Server;
  let base: string;
  let status: RelayStatus;

  beforeEach(async () => {
    status = { role: 'standby', database: 'up', kafka: 'unknown', publishedEvents: 0, publishedBatches: 0, lastPublishedAt: null };
    server = createHealthServer({ status: () => status });
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

  it('answers 404 for anything else, metrics included: those are on the metrics port', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });
});
