import { HealthPath, HealthProbes, HealthServer } from './health-server';

describe('HealthServer', () => {
  let live: boolean;
  let ready: ReturnType<HealthProbes['ready']>;
  let server: HealthServer;
  let base: string;

  beforeEach(async () => {
    live = true;
    ready = { ready: true, role: 'standby' };
    server = new HealthServer({ live: () => live, ready: () => ready }, { service: 'svc' });
    base = `http://127.0.0.1:${(await server.start('127.0.0.1', 0)).port}`;
  });

  afterEach(() => server.stop());

  it('answers liveness from the probe, with the details', async () => {
    const ok = await fetch(`${base}${HealthPath.Live}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', service: 'svc' });
    live = false;
    const crashed = await fetch(`${base}${HealthPath.Live}`);
    expect(crashed.status).toBe(503);
    expect(await crashed.json()).toEqual({ status: 'crashed', service: 'svc' });
  });

  it('answers readiness from the probe as it is now, showing what it is based on', async () => {
    const yes = await fetch(`${base}${HealthPath.Ready}?verbose`);
    expect(yes.status).toBe(200);
    expect(await yes.json()).toEqual({ status: 'ready', service: 'svc', ready: true, role: 'standby' });
    ready = { ready: false, role: 'stopped' };
    const no = await fetch(`${base}${HealthPath.Ready}`);
    expect(no.status).toBe(503);
    expect(await no.json()).toEqual({ status: 'not ready', service: 'svc', ready: false, role: 'stopped' });
    expect(no.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 500 when a probe throws, 405 for other methods and 404 for anything else, metrics included', async () => {
    const failing = new HealthServer({
      live: () => true,
      ready: () => {
        throw new Error('status unavailable');
      },
    });
    const other = `http://127.0.0.1:${(await failing.start('127.0.0.1', 0)).port}`;
    const failed = await fetch(`${other}${HealthPath.Ready}`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ status: 'error', error: 'status unavailable' });
    expect((await fetch(`${other}${HealthPath.Live}`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${other}/metrics`)).status).toBe(404);
    await failing.stop();
  });

  it('can be stopped twice and refuses connections once stopped', async () => {
    await server.stop();
    await server.stop();
    await expect(fetch(`${base}${HealthPath.Live}`)).rejects.toThrow();
  });
});
