import { TestApp, request, startTestApp } from '../../test/test-app';

/** Every error status the API can answer, over real HTTP: always application/problem+json with a code. */
describe('problem details over HTTP', () => {
  let t: TestApp;
  let accountId: string;
  beforeAll(async () => {
    t = await startTestApp('problems', { BODY_LIMIT: '2048' });
    const created = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'problems@example.com', displayName: 'P' } });
    accountId = created.body.id as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectProblem = (res: { status: number; headers: Headers; body: Record<string, unknown> }, status: number, code: string, instance: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, instance, type: expect.stringMatching(/^urn:platform:problem:/), title: expect.any(String), detail: expect.any(String) });
  };

  it('400 for a malformed JSON body', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { body: '{"email": "a@b.co",', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'MALFORMED_JSON', '/v1/accounts');
    // The parser's message quotes the body back; it is not repeated to the client.
    expect(JSON.stringify(res.body)).not.toMatch(/position|Unexpected|SyntaxError/);
  });

  it('400 for a JSON body that is not an object', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: ['a@b.co'] });
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/accounts');
    expect(res.body.errors).toEqual([{ pointer: '', detail: 'must be an object' }]);
  });

  it('400 for a POST without a body', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts');
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/accounts');
  });

  it('404 for an unknown route', async () => {
    expectProblem(await request(t.baseUrl, 'GET', '/v2/whatever'), 404, 'ROUTE_NOT_FOUND', '/v2/whatever');
  });

  it('404 for an unknown account', async () => {
    const path = '/v1/accounts/0b7e1d1c-7a8e-4c4e-9a51-3f4b8d2e9c10';
    expectProblem(await request(t.baseUrl, 'GET', path), 404, 'ACCOUNT_NOT_FOUND', path);
  });

  it('405 with Allow for a known path and a wrong method', async () => {
    const put = await request(t.baseUrl, 'PUT', '/v1/accounts', { json: { email: 'x@example.com' } });
    expectProblem(put, 405, 'METHOD_NOT_ALLOWED', '/v1/accounts');
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');

    const post = await request(t.baseUrl, 'POST', `/v1/accounts/${accountId}`, { json: {} });
    expectProblem(post, 405, 'METHOD_NOT_ALLOWED', `/v1/accounts/${accountId}`);
    expect(post.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');

    const del = await request(t.baseUrl, 'DELETE', '/health/live');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });

  it('409 for a duplicate email', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'PROBLEMS@example.com', displayName: 'P2' } });
    expectProblem(res, 409, 'EMAIL_ALREADY_REGISTERED', '/v1/accounts');
  });

  it('412 for a stale If-Match, 428 for none', async () => {
    const path = `/v1/accounts/${accountId}`;
    const stale = await request(t.baseUrl, 'PATCH', path, { json: { plan: 'pro' }, headers: { 'if-match': '"41"' } });
    expectProblem(stale, 412, 'VERSION_MISMATCH', path);
    const missing = await request(t.baseUrl, 'PATCH', path, { json: { plan: 'pro' } });
    expectProblem(missing, 428, 'IF_MATCH_REQUIRED', path);
  });

  it('413 for a body over the limit, before it is parsed', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'big@example.com', displayName: 'x'.repeat(4096) } });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE', '/v1/accounts');
    expect(res.body.detail).toContain('2048');
  });

  it('415 for a body that is not JSON, with the accepted types', async () => {
    const post = await request(t.baseUrl, 'POST', '/v1/accounts', { body: 'email=a@b.co', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(post, 415, 'UNSUPPORTED_MEDIA_TYPE', '/v1/accounts');
    expect(post.headers.get('accept-post')).toContain('application/json');

    const patch = await request(t.baseUrl, 'PATCH', `/v1/accounts/${accountId}`, { body: 'plan=pro', headers: { 'content-type': 'text/plain', 'if-match': '"1"' } });
    expectProblem(patch, 415, 'UNSUPPORTED_MEDIA_TYPE', `/v1/accounts/${accountId}`);
    expect(patch.headers.get('accept-patch')).toContain('application/merge-patch+json');
  });

  it('415 for a JSON body in a charset the parser cannot decode', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { body: '{}', headers: { 'content-type': 'application/json; charset=ebcdic' } });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE', '/v1/accounts');
  });

  it('422 for a locale that is not a language tag', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'loc@example.com', displayName: 'L', locale: '12345678901' } });
    expectProblem(res, 422, 'LOCALE_INVALID', '/v1/accounts');
  });

  it('leaves the query string out of instance', async () => {
    const res = await request(t.baseUrl, 'GET', '/v1/accounts?status=nope&email=someone@example.com');
    expectProblem(res, 400, 'VALIDATION_FAILED', '/v1/accounts');
  });

  it('500 for an internal failure, with no stack trace and no driver message', async () => {
    // A real failure inside the database layer: the table the query needs is gone.
    await t.db.query('ALTER TABLE accounts.accounts RENAME TO accounts_moved_away');
    try {
      const res = await request(t.baseUrl, 'GET', `/v1/accounts/${accountId}`);
      expectProblem(res, 500, 'INTERNAL_ERROR', `/v1/accounts/${accountId}`);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/relation|accounts_moved_away|does not exist|QueryFailedError|at .*\.ts|SELECT/i);
      expect(Object.keys(res.body).sort()).toEqual(['code', 'detail', 'instance', 'status', 'title', 'type']);
    } finally {
      await t.db.query('ALTER TABLE accounts.accounts_moved_away RENAME TO accounts');
    }
  });
});
