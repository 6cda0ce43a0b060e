import { TestApp, request, startTestApp } from '../../test/test-app';
import { outboxRows } from '../../test/test-database';
import { requestFingerprint } from './request-fingerprint';
import { IdempotencyClaimLostError, IdempotencyKeyStore } from './idempotency-key.store';
import { CreateAccountService } from '../accounts/create-account.service';
import { ApiKeyScope } from '../api-keys/api-key-scope';

describe('POST /v1/accounts with Idempotency-Key over HTTP and PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('idempotency');
  });
  afterAll(async () => {
    await t?.close();
  });

  const signup = (json: unknown, headers: Record<string, string> = {}) => request(t.baseUrl, 'POST', '/v1/accounts', { json, headers });
  const accountsWithEmail = async (email: string): Promise<{ id: string }[]> =>
    t.db.query(`SELECT id FROM accounts.accounts WHERE email_normalized = $1`, [email]);

  it('replays the stored response for the same key and body: one account, one outbox row', async () => {
    const json = { email: 'replay@example.com', displayName: 'Replay', signupContext: { ip: '203.0.113.7', userAgent: 'curl' } };
    const first = await signup(json, { 'Idempotency-Key': 'key-replay' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // Same body with its keys in another order: the same request.
    const again = await signup({ signupContext: { userAgent: 'curl', ip: '203.0.113.7' }, displayName: 'Replay', email: 'replay@example.com' }, {
      'Idempotency-Key': '"key-replay"',
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);

    const rows = await accountsWithEmail('replay@example.com');
    expect(rows).toEqual([{ id: first.body.id }]);
    expect(await outboxRows(t.db, first.body.id as string)).toHaveLength(1);
    const [stored] = await t.db.query(`SELECT status, response_status FROM accounts.idempotency_keys WHERE key = 'key-replay'`);
    expect(stored).toEqual({ status: 'completed', response_status: 201 });
    // The stored response was written by the transaction that wrote the account and its event.
    const [writers] = await t.db.query(
      `SELECT (SELECT xmin::text FROM accounts.idempotency_keys WHERE key = 'key-replay') AS key,
              (SELECT xmin::text FROM accounts.accounts WHERE id = $1) AS account,
              (SELECT xmin::text FROM accounts.outbox WHERE message_key = $1::text) AS event`,
      [first.body.id],
    );
    expect(new Set([writers.key, writers.account, writers.event]).size).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, creating nothing', async () => {
    expect((await signup({ email: 'reuse1@example.com', displayName: 'R' }, { 'Idempotency-Key': 'key-reuse' })).status).toBe(201);
    const res = await signup({ email: 'reuse2@example.com', displayName: 'R' }, { 'Idempotency-Key': 'key-reuse' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', instance: '/v1/accounts' });
    expect(await accountsWithEmail('reuse2@example.com')).toEqual([]);
  });

  it('admits exactly one of concurrent requests with the same key; the others get 409 or the replay', async () => {
    const json = { email: 'concurrent@example.com', displayName: 'Concurrent' };
    const attempts = await Promise.all(Array.from({ length: 6 }, () => signup(json, { 'Idempotency-Key': 'key-concurrent' })));
    const fresh = attempts.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
    expect(fresh).toHaveLength(1);
    for (const other of attempts.filter((a) => a !== fresh[0])) {
      if (other.status === 409) {
        expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
        expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      } else {
        expect(other.status).toBe(201);
        expect(other.headers.get('idempotent-replayed')).toBe('true');
        expect(other.body).toEqual(fresh[0].body);
      }
    }
    const rows = await accountsWithEmail('concurrent@example.com');
    expect(rows).toEqual([{ id: fresh[0].body.id }]);
    expect(await outboxRows(t.db, fresh[0].body.id as string)).toHaveLength(1);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After while the first request holds the key', async () => {
    const json = { email: 'inflight@example.com', displayName: 'I' };
    // The row the first request inserts before its sign-up transaction, caught in between.
    await t.db.query(
      `INSERT INTO accounts.idempotency_keys (client_scope, key, fingerprint, status, expires_at)
       VALUES ($1, 'key-inflight', $2, 'in_progress', now() + interval '1 hour')`,
      [`test-idempotency`, requestFingerprint(json)],
    );
    const res = await signup(json, { 'Idempotency-Key': 'key-inflight' });
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    expect(await accountsWithEmail('inflight@example.com')).toEqual([]);
  });

  it('stores a 409 duplicate-email answer and replays it as 409 for the same key', async () => {
    expect((await signup({ email: 'taken@example.com', displayName: 'T' })).status).toBe(201);
    const json = { email: 'TAKEN@example.com', displayName: 'T2' };
    const first = await signup(json, { 'Idempotency-Key': 'key-taken' });
    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({ code: 'EMAIL_ALREADY_REGISTERED' });

    const again = await signup(json, { 'Idempotency-Key': 'key-taken' });
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toEqual(first.body);
  });

  it('stores a 400 for a body that does not validate and replays it for the same key, creating nothing', async () => {
    const json = { email: 'not-an-email', displayName: 'Invalid' };
    const first = await signup(json, { 'Idempotency-Key': 'key-invalid' });
    expect(first.status).toBe(400);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const [stored] = await t.db.query(`SELECT status, response_status FROM accounts.idempotency_keys WHERE key = 'key-invalid'`);
    expect(stored).toEqual({ status: 'completed', response_status: 400 });

    const again = await signup(json, { 'Idempotency-Key': 'key-invalid' });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    // The key now stands for that body: a corrected one needs a new key.
    expect((await signup({ email: 'valid@example.com', displayName: 'Valid' }, { 'Idempotency-Key': 'key-invalid' })).status).toBe(422);
    expect(await accountsWithEmail('valid@example.com')).toEqual([]);
  });

  it('lets a retry take over a key whose first request died mid-sign-up, and the dead request can no longer complete it', async () => {
    const json = { email: 'orphan@example.com', displayName: 'O' };
    // What a killed process leaves behind: a claim in progress, older than the lease.
    await t.db.query(
      `INSERT INTO accounts.idempotency_keys (client_scope, key, fingerprint, status, expires_at, claim_token, claimed_at)
       VALUES ('test-idempotency', 'key-orphan', $1, 'in_progress', now() + interval '1 hour', $2, now() - interval '2 minutes')`,
      [requestFingerprint(json), '00000000-0000-4000-8000-000000000001'],
    );
    // Another body still counts as misuse of the key, lease or not.
    expect((await signup({ ...json, displayName: 'Other' }, { 'Idempotency-Key': 'key-orphan' })).status).toBe(422);
    const retry = await signup(json, { 'Idempotency-Key': 'key-orphan' });
    expect(retry.status).toBe(201);
    expect(await accountsWithEmail('orphan@example.com')).toEqual([{ id: retry.body.id }]);
    expect((await signup(json, { 'Idempotency-Key': 'key-orphan' })).headers.get('idempotent-replayed')).toBe('true');

    // The first request, had it survived, would now fail to complete and roll its sign-up back.
    const store = t.app.get(IdempotencyKeyStore);
    const stale = { clientScope: 'test-idempotency', key: 'key-orphan', fingerprint: requestFingerprint(json), token: '00000000-0000-4000-8000-000000000001' };
    await expect(store.complete(stale, { status: 201, headers: {}, body: {} })).rejects.toBeInstanceOf(IdempotencyClaimLostError);
    // Nor can it sign up: its response is stored by the sign-up's own statement, which then writes nothing.
    const outboxBefore = (await t.db.query(`SELECT count(*)::int AS n FROM accounts.outbox`))[0].n;
    const late = t.app.get(CreateAccountService).create({ email: 'orphan-late@example.com', displayName: 'Late' }, {}, {
      precondition: () => store.completion(stale, { status: 201, headers: {}, body: {} }),
      unmet: () => new IdempotencyClaimLostError(),
    });
    await expect(late).rejects.toBeInstanceOf(IdempotencyClaimLostError);
    expect(await accountsWithEmail('orphan-late@example.com')).toEqual([]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM accounts.outbox`))[0].n).toBe(outboxBefore);
  });

  it('keeps keys of different clients apart: the scope is the client of the API key', async () => {
    const keyA = await t.issueKey({ clientId: 'client-a', scopes: [ApiKeyScope.Write] });
    const keyB = await t.issueKey({ clientId: 'client-b', scopes: [ApiKeyScope.Write] });
    const as = (key: string) => ({ authorization: `Bearer ${key}`, 'Idempotency-Key': 'shared-key' });
    const a = await signup({ email: 'scope-a@example.com', displayName: 'A' }, as(keyA.key));
    const b = await signup({ email: 'scope-b@example.com', displayName: 'B' }, as(keyB.key));
    // Another key of the same client shares its scope: a retry may come from a rotated key.
    const keyA2 = await t.issueKey({ clientId: 'client-a', scopes: [ApiKeyScope.Write] });
    const a2 = await signup({ email: 'scope-a@example.com', displayName: 'A' }, as(keyA2.key));
    expect([a.status, b.status, a2.status]).toEqual([201, 201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a2.body.id).toBe(a.body.id);
    expect(a2.headers.get('idempotent-replayed')).toBe('true');
    const scopes = await t.db.query(`SELECT client_scope FROM accounts.idempotency_keys WHERE key = 'shared-key' ORDER BY client_scope`);
    expect(scopes.map((r: { client_scope: string }) => r.client_scope)).toEqual(['client-a', 'client-b']);
  });

  it('treats an expired key as new, and purges expired keys of the scope', async () => {
    const expiryKey = await t.issueKey({ clientId: 'client-expiry', scopes: [ApiKeyScope.Write] });
    const scope = { authorization: `Bearer ${expiryKey.key}` };
    expect((await signup({ email: 'old@example.com', displayName: 'O' }, { 'Idempotency-Key': 'key-expired', ...scope })).status).toBe(201);
    expect((await signup({ email: 'stale@example.com', displayName: 'S' }, { 'Idempotency-Key': 'key-stale', ...scope })).status).toBe(201);
    await t.db.query(`UPDATE accounts.idempotency_keys SET expires_at = now() - interval '1 second' WHERE client_scope = 'client-expiry'`);

    // Another body would be 422 if the key were still remembered.
    const res = await signup({ email: 'new@example.com', displayName: 'N' }, { 'Idempotency-Key': 'key-expired', ...scope });
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const keys = await t.db.query(`SELECT key FROM accounts.idempotency_keys WHERE client_scope = 'client-expiry'`);
    expect(keys).toEqual([{ key: 'key-expired' }]);
  });

  it('answers 400 naming the header for a malformed key, and keeps new keys for the configured TTL', async () => {
    const bad = await signup({ email: 'badkey@example.com', displayName: 'B' }, { 'Idempotency-Key': 'k'.repeat(256) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
    expect(bad.body.detail).toContain('Idempotency-Key');
    expect(await accountsWithEmail('badkey@example.com')).toEqual([]);

    expect((await signup({ email: 'ttl@example.com', displayName: 'T' }, { 'Idempotency-Key': 'key-ttl' })).status).toBe(201);
    const [{ hours }] = await t.db.query(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM accounts.idempotency_keys WHERE key = 'key-ttl'`,
    );
    expect(hours).toBe(24);
  });
});
