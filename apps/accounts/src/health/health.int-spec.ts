import { TestApp, request, startTestApp } from '../../test/test-app';

describe('health endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('health');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is live and ready while the database answers', async () => {
    expect(await request(t.baseUrl, 'GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await request(t.baseUrl, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok' } } });
  });

  it('is not ready, with a problem document, once the database is gone; still live', async () => {
    // Closing the app's own pool is the most direct way to make its database unreachable.
    const { DataSource } = await import('typeorm');
    await t.app.get(DataSource).destroy();
    const ready = await request(t.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ code: 'NOT_READY', status: 503 });
    expect((await request(t.baseUrl, 'GET', '/health/live')).status).toBe(200);
  });
});
