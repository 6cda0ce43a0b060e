import { TestApp, request, startTestApp } from '../../test/test-app';
import { ApiKeyScope } from '../api-keys/api-key-scope';

describe('rate limit per API key over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('rate-limit', { RATE_LIMIT_PER_SECOND: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const burst = async (key: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => request(t.baseUrl, 'GET', '/v1/accounts', { headers: { authorization: `Bearer ${key}` } })));

  it('answers 429 with Retry-After past the key’s own limit, and lets the key through again after the wait', async () => {
    const key = await t.issueKey({ scopes: [ApiKeyScope.Read], rateLimitPerSecond: 2 });
    const first = await burst(key.key, 6);
    const statuses = first.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    const refused = first.find((r) => r.status === 429)!;
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit-limit')).toBe('2');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await request(t.baseUrl, 'GET', '/v1/accounts', { headers: { authorization: `Bearer ${key.key}` } });
    expect(after.status).toBe(200);
    expect(Number(after.headers.get('ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
  });

  it('limits keys independently, with the service default for keys without their own limit', async () => {
    const noisy = await t.issueKey({ scopes: [ApiKeyScope.Read] });
    const quiet = await t.issueKey({ scopes: [ApiKeyScope.Read] });
    const noisyStatuses = (await burst(noisy.key, 8)).map((r) => r.status);
    expect(noisyStatuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    expect((await burst(quiet.key, 1))[0].headers.get('ratelimit-limit')).toBe('3');
    expect((await burst(quiet.key, 1))[0].status).toBe(200);
  });

  it('never limits the probes', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => request(t.baseUrl, 'GET', '/health/live', { anonymous: true })));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
  });
});
