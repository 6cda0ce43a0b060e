import { FreshDatabase, ReplicatedPostgres, createFreshDatabase, queryOnce, startReplicatedPostgres } from '@platform/testing';
import { TestApp, request, startTestApp } from '../../test/test-app';
import { PRIMARY_APPLICATION_NAME, REPLICA_APPLICATION_NAME } from './data-source';

interface Account {
  id: string;
  status: string;
  version: number;
}

/**
 * REPLICA_DATABASE_URLS over a real streaming replica (pg_basebackup of a primary this file
 * starts). Routing is proven by outcomes: with replay paused the replica is visibly behind, so a
 * read that sees a fresh write ran on the primary and a list that misses it ran on the replica;
 * and the replica refuses writes, so every write that succeeds ran on the primary.
 */
describe('accounts over a primary and a streaming replica', () => {
  let pg: ReplicatedPostgres | undefined;
  let database: FreshDatabase;
  let t: TestApp;

  beforeAll(async () => {
    pg = await startReplicatedPostgres();
    database = await createFreshDatabase('accounts_test_replica', pg.primary.url);
    // The replica pool connects at start-up, so the new database must have reached the replica.
    await pg.replica.waitForReplay();
    t = await startTestApp('replica', { REPLICA_DATABASE_URLS: pg.replica.urlFor(database.name) }, { database });
  });

  afterAll(async () => {
    try {
      await t?.close();
    } finally {
      await pg?.stop();
    }
  });

  // A failed test must not leave the replica paused for the next one.
  afterEach(async () => {
    await pg?.replica.resumeReplay();
  });

  const replica = () => pg!.replica;
  const signUp = async (name: string, headers: Record<string, string> = {}) => {
    const res = await request<Account>(t.baseUrl, 'POST', '/v1/accounts', { json: { email: `${name}@example.com`, displayName: name }, headers });
    expect(res.status).toBe(201);
    return res;
  };
  const listed = async (): Promise<Account[]> => {
    const res = await request<{ items: Account[] }>(t.baseUrl, 'GET', '/v1/accounts?limit=200');
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const listedIds = async () => (await listed()).map((a) => a.id);
  const sessions = (url: string) =>
    queryOnce<{ application_name: string }>(url, `SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = $1`, [database.name]);

  it('starts with replicas configured, is ready, and names its primary and replica connections apart', async () => {
    expect((await request(t.baseUrl, 'GET', '/health/ready')).status).toBe(200);
    await listed();
    expect((await sessions(replica().url)).map((s) => s.application_name)).toEqual([REPLICA_APPLICATION_NAME]);
    expect((await sessions(pg!.primary.url)).map((s) => s.application_name)).toContain(PRIMARY_APPLICATION_NAME);
  });

  it('the replica is read-only, so a write routed there could not succeed', async () => {
    await expect(queryOnce(replica().urlFor(database.name), `DELETE FROM accounts.accounts`)).rejects.toThrow(/read-only transaction/);
  });

  it('lists from the replica: a sign-up is missing there until replayed, while GET by id reads it on the primary at once', async () => {
    await replica().waitForReplay();
    await replica().pauseReplay();

    const { body: created } = await signUp('lagging');
    const byId = await request<Account>(t.baseUrl, 'GET', `/v1/accounts/${created.id}`);
    expect(byId.status).toBe(200);
    expect(byId.headers.get('etag')).toBe('"1"');
    expect(await listedIds()).not.toContain(created.id);

    await replica().resumeReplay();
    await replica().waitForReplay();
    expect(await listedIds()).toContain(created.id);
  });

  it('keeps every write and read-your-own-write on the primary while the replica lags', async () => {
    await replica().waitForReplay();
    await replica().pauseReplay();

    const first = await signUp('writer', { 'Idempotency-Key': 'replica-writer' });
    const retry = await signUp('writer', { 'Idempotency-Key': 'replica-writer' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    const id = first.body.id;

    const patched = await request<Account>(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { plan: 'pro' }, headers: { 'if-match': '"1"' } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');

    const suspended = await request<Account>(t.baseUrl, 'POST', `/v1/accounts/${id}/suspend`, {
      json: { reason: 'chargeback' },
      headers: { 'if-match': '"2"' },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', version: 3 });

    const closed = await request(t.baseUrl, 'DELETE', `/v1/accounts/${id}`, { headers: { 'if-match': '"3"' } });
    expect(closed.status).toBe(204);
    expect((await request<Account>(t.baseUrl, 'GET', `/v1/accounts/${id}`)).body).toMatchObject({ status: 'closed', version: 4 });

    // The replica really was behind all along: none of the above can have read from it.
    expect(await listedIds()).not.toContain(id);

    await replica().resumeReplay();
    await replica().waitForReplay();
    expect((await listed()).find((a) => a.id === id)).toMatchObject({ status: 'closed', version: 4 });
  });
});
