import { ScratchServer, createFreshDatabase, freshCluster, startScratchServer } from '@platform/testing';
import { TestApp, request, startTestApp } from '../../test/test-app';

describe('a database that goes away under the service', () => {
  let server: ScratchServer;
  let t: TestApp;
  beforeAll(async () => {
    // A server of the test's own: stopping the machine's would disturb everyone else's tests.
    server = await startScratchServer(freshCluster);
    const database = await createFreshDatabase('accounts_db_down', server.url);
    // The key must stay verified while the database is gone, so the request reaches a query.
    t = await startTestApp('db-down', { API_KEY_CACHE_TTL_MS: '300000' }, { database });
  });
  afterAll(async () => {
    await t?.app.close().catch(() => undefined);
    await t?.db.destroy().catch(() => undefined);
    await server?.stop();
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, not a 500, while PostgreSQL is down', async () => {
    expect((await request(t.baseUrl, 'GET', '/v1/accounts')).status).toBe(200);
    await server.stop();
    const res = await request(t.baseUrl, 'GET', '/v1/accounts');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|terminat|5432|postgres/i);
  });
});
