import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { fuzzSettings } from '@platform/testing';
import { TestApp, request, startTestApp } from '../../test/test-app';
import { ApiFuzzContext, FuzzRequest, accountRequest, listRequest, signupRequest, strayRequest, validSignup } from '../../test/fuzz/api-requests';
import { violations } from '../../test/fuzz/api-invariants';
import { RawResponse, sendRaw } from '../../test/fuzz/raw-http';
import { RecordingLogger } from '../../test/fuzz/recording-logger';
import { snapshotState } from '../../test/fuzz/state-snapshot';
import { idempotencySequence, runIdempotencySequence } from '../../test/fuzz/idempotency-sequences';

// Bounded for the suite (about 20 s here); `npm run fuzz -- --runs 5000` for the long run.
const settings = fuzzSettings('accounts API');

describe('accounts API under hostile input (fuzz)', () => {
  let app: TestApp;
  let context: ApiFuzzContext;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    app = await startTestApp('fuzz_api', {}, { logger });
    const accounts: { id: string; etag: string }[] = [];
    for (const body of fc.sample(validSignup(), { numRuns: 5, seed: settings.seed })) {
      const created = await request<{ id: string }>(app.baseUrl, 'POST', '/v1/accounts', { json: body });
      expect(created.status).toBe(201);
      accounts.push({ id: created.body.id, etag: created.headers.get('etag')! });
    }
    context = { apiKey: app.apiKey, accounts, bodyLimitBytes: app.config.bodyLimitBytes };
  });

  afterAll(async () => {
    await app?.close();
  });

  /** One request, with the state and the log around it: every invariant on one case. */
  async function check(fuzzRequest: FuzzRequest): Promise<RawResponse> {
    const mark = logger.lines.length;
    const before = await snapshotState(app.db);
    const response = await sendRaw(app.baseUrl, fuzzRequest);
    const after = await snapshotState(app.db);
    const broken = violations({ request: fuzzRequest, response, before, after, logLines: logger.since(mark), secrets: [app.apiKey] });
    if (broken.length > 0) throw new Error(`${describeRequest(fuzzRequest)}\n→ ${response.status} ${response.body.slice(0, 500)}\nviolations:\n- ${broken.join('\n- ')}`);
    return response;
  }

  // The counterexamples of the first runs, replayed on every run whatever the seed: each was a 500,
  // a bare Node error or a leak before its fix (docs/reliability.md, Findings).
  it('answers the inputs that once broke it with clean 4xx problems', async () => {
    const auth: [string, string] = ['Authorization', `Bearer ${app.apiKey}`];
    const json: [string, string] = ['Content-Type', 'application/json'];
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    const found: [FuzzRequest, number][] = [
      [{ family: 'finding', method: 'GET', target: `/v1/accounts?cursor=${cursor(`-271821-04-20T00:00:00.000Z|${randomUUID()}`)}`, headers: [auth] }, 400],
      [{ family: 'finding', method: 'GET', target: '/v1/accounts?email=%00', headers: [auth] }, 400],
      [{ family: 'finding', method: 'POST', target: '/v1/accounts', headers: [auth, json], body: Buffer.from('{"email":"nul@example.com","displayName":"a\u0000b"}') }, 400],
      [{ family: 'finding', method: 'POST', target: '/v1/accounts', headers: [auth, json, ['Idempotency-Key', randomUUID()]], body: Buffer.from('{"\udfff":""}') }, 400],
      [{ family: 'finding', method: 'POST', target: '/v1/accounts', headers: [auth, json, ['Idempotency-Key', randomUUID()]], body: Buffer.from(`${'['.repeat(30_000)}${']'.repeat(30_000)}`) }, 400],
      [{ family: 'finding', method: 'GET', target: '/v1/accounts', headers: [['Authorization', 'Bearer a\rb']] }, 400],
      [{ family: 'finding', method: 'GET', target: '/v1/accounts', headers: [auth, ['X-Fuzz', 'x'.repeat(20_000)]] }, 431],
    ];
    for (const [fuzzRequest, status] of found) expect([describeRequest(fuzzRequest), (await check(fuzzRequest)).status]).toEqual([describeRequest(fuzzRequest), status]);
  });

  it('refuses hostile signups (bodies, content types, encodings, keys, trace headers) cleanly', async () => {
    await fc.assert(fc.asyncProperty(signupRequest(context), async (r) => void (await check(r))), settings.parameters(150));
  }, settings.timeoutMs(150, 40));

  it('refuses hostile list queries and cursors cleanly', async () => {
    await fc.assert(fc.asyncProperty(listRequest(context), async (r) => void (await check(r))), settings.parameters(150));
  }, settings.timeoutMs(150, 40));

  it('refuses hostile ids, If-Match values and bodies on one account cleanly', async () => {
    await fc.assert(fc.asyncProperty(accountRequest(context), async (r) => void (await check(r))), settings.parameters(150));
  }, settings.timeoutMs(150, 40));

  it('refuses wrong methods, unknown paths, bad keys and hostile headers cleanly', async () => {
    await fc.assert(fc.asyncProperty(strayRequest(context), async (r) => void (await check(r))), settings.parameters(150));
  }, settings.timeoutMs(150, 40));

  it('keeps one account per Idempotency-Key under repeated, reordered, conflicting and concurrent retries', async () => {
    await fc.assert(
      fc.asyncProperty(idempotencySequence(), async (sequence) => {
        const broken = await runIdempotencySequence(app, logger, sequence, `run-${randomUUID()}`);
        if (broken.length > 0) throw new Error(`violations:\n- ${broken.join('\n- ')}`);
      }),
      settings.parameters(40),
    );
  }, settings.timeoutMs(40, 150));
});

function describeRequest(r: FuzzRequest): string {
  const body = r.body ? ` body(${r.body.length} B)=${JSON.stringify(r.body.subarray(0, 300).toString('latin1'))}` : '';
  const headers = r.headers.map(([n, v]) => `${n}: ${JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v)}`).join('; ');
  return `[${r.family}] ${r.method} ${r.target.slice(0, 300)} {${headers}}${body}`;
}
