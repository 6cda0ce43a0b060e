import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@platform/testing';
import { TestApp, request, startTestApp } from '../../test/test-app';
import { expressRoutes } from '../problem-details/route-catalog';
import { ApiKeyScope } from './api-key-scope';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');

describe('API keys over HTTP and PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('api-keys', { API_KEY_CACHE_TTL_MS: '1000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const signupBody = () => ({ email: `${randomUUID()}@example.com`, displayName: 'Key Test' });

  it('refuses every /v1 route without a key with 401, a Bearer challenge and a problem document; probes stay open', async () => {
    // The API description under /docs is public as well; openapi.int-spec.ts checks it.
    const routes = expressRoutes(t.app.getHttpAdapter().getInstance()).filter((r) => !r.path.startsWith('/docs'));
    const probes = routes.filter((r) => r.path.startsWith('/health'));
    const api = routes.filter((r) => !r.path.startsWith('/health'));
    expect(api.length).toBeGreaterThanOrEqual(6);
    for (const route of api) {
      for (const method of route.methods) {
        const verb = method.toUpperCase();
        const res = await request(t.baseUrl, verb, route.path.replace(':id', randomUUID()), { anonymous: true, json: verb === 'GET' ? undefined : {} });
        expect({ route: `${method} ${route.path}`, status: res.status }).toEqual({ route: `${method} ${route.path}`, status: 401 });
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="accounts"');
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      }
    }
    for (const probe of probes) expect((await request(t.baseUrl, 'GET', probe.path, { anonymous: true })).status).toBe(200);
  });

  it('gives the same 401 for a malformed, an unknown and a wrong-secret key', async () => {
    const real = await t.issueKey({ scopes: [ApiKeyScope.Read] });
    const wrongSecret = `${real.key.slice(0, -4)}AAAA`;
    const unknown = `ak_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    for (const authorization of ['Bearer nonsense', `Basic ${real.key}`, `Bearer ${unknown}`, `Bearer ${wrongSecret}`, real.key]) {
      const res = await request(t.baseUrl, 'GET', '/v1/accounts', { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    expect((await request(t.baseUrl, 'GET', '/v1/accounts', { headers: { authorization: `bearer ${real.key}` } })).status).toBe(200);
  });

  it('answers 403 when the key lacks the scope, and nests admin ⊃ write ⊃ read', async () => {
    const read = await t.issueKey({ scopes: [ApiKeyScope.Read] });
    const write = await t.issueKey({ scopes: [ApiKeyScope.Write] });

    const denied = await request(t.baseUrl, 'POST', '/v1/accounts', { json: signupBody(), headers: as(read.key) });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="accounts:write"');

    const created = await request(t.baseUrl, 'POST', '/v1/accounts', { json: signupBody(), headers: as(write.key) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await request(t.baseUrl, 'GET', `/v1/accounts/${id}`, { headers: as(write.key) })).status).toBe(200);
    expect((await request(t.baseUrl, 'GET', `/v1/accounts/${id}`, { headers: as(read.key) })).status).toBe(200);

    const suspend = await request(t.baseUrl, 'POST', `/v1/accounts/${id}/suspend`, { json: { reason: 'test' }, headers: as(write.key) });
    expect(suspend.status).toBe(403);
    expect(suspend.body.detail).toContain('accounts:admin');
    const [row] = await t.db.query(`SELECT status FROM accounts.accounts WHERE id = $1`, [id]);
    expect(row.status).toBe('pending');
    expect((await request(t.baseUrl, 'DELETE', `/v1/accounts/${id}`, { headers: as(read.key) })).status).toBe(403);
  });

  it('issues and revokes keys with the CLI; a revoked key stops working on the next request', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['-r', '@swc-node/register', 'apps/accounts/src/api-keys/api-keys.cli.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', DATABASE_URL: t.config.database.url },
      });
    const created = JSON.parse((await cli('create', '--client', 'signup-web', '--scopes', 'accounts:write', '--json')).stdout);
    expect(created).toMatchObject({ clientId: 'signup-web', scopes: ['accounts:write'], revokedAt: null });
    expect(created.key).toMatch(/^ak_[0-9a-f]{16}_/);
    // Only the hash is stored: the key itself appears nowhere in the table.
    const [stored] = await t.db.query(`SELECT row_to_json(k)::text AS row FROM accounts.api_keys k WHERE id = $1`, [created.id]);
    expect(stored.row).not.toContain(created.key.split('_')[2]);

    expect((await request(t.baseUrl, 'POST', '/v1/accounts', { json: signupBody(), headers: as(created.key) })).status).toBe(201);
    const revoked = JSON.parse((await cli('revoke', created.id, '--json')).stdout);
    expect(revoked.revokedAt).not.toBeNull();
    const revokedAt = Date.now();
    // Verified keys are remembered for API_KEY_CACHE_TTL_MS (1 s here): refused within that bound.
    await waitFor(async () => ((await request(t.baseUrl, 'GET', '/v1/accounts', { headers: as(created.key) })).status === 401 ? true : undefined), {
      timeoutMs: 3_000,
      intervalMs: 50,
      what: 'the revoked key to be refused',
    });
    expect(Date.now() - revokedAt).toBeLessThan(1_500);
    expect((await request(t.baseUrl, 'POST', '/v1/accounts', { json: signupBody(), headers: as(created.key) })).status).toBe(401);

    const listed = JSON.parse((await cli('list', '--client', 'signup-web', '--json')).stdout);
    expect(listed).toEqual([expect.objectContaining({ id: created.id, revokedAt: revoked.revokedAt })]);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    await expect(cli('create', '--client', 'x', '--scopes', 'accounts:everything')).rejects.toMatchObject({ code: 2 });
    await expect(cli('revoke', 'ffffffffffffffff')).rejects.toMatchObject({ code: 3 });
  });
});
