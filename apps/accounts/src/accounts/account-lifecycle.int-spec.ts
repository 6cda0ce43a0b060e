import { EventType, assertEventData, isEventType } from '@platform/contracts';
import { TestApp, request, startTestApp } from '../../test/test-app';
import { outboxRows } from '../../test/test-database';

/** Suspend, reactivate, close (with erasure) and PATCH over HTTP: state, ETag and outbox together. */
describe('account lifecycle over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('lifecycle');
  });
  afterAll(async () => {
    await t?.close();
  });

  let n = 0;
  const signup = async (overrides: Record<string, unknown> = {}): Promise<string> => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: `life${++n}@example.com`, displayName: 'Life', ...overrides } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const events = async (id: string) => (await outboxRows(t.db, id)).map((r) => ({ type: r.event_type, data: JSON.parse(r.value) }));

  it('suspends and reactivates, each with its event, and refuses illegal moves with 409', async () => {
    const id = await signup();
    const suspended = await request(t.baseUrl, 'POST', `/v1/accounts/${id}/suspend`, { json: { reason: 'chargeback' } });
    expect(suspended.status).toBe(200);
    expect(suspended.headers.get('etag')).toBe('"2"');
    expect(suspended.body).toMatchObject({ status: 'suspended', version: 2, suspensionReasons: ['chargeback'] });

    const again = await request(t.baseUrl, 'POST', `/v1/accounts/${id}/suspend`, { json: { reason: 'twice' } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION', detail: expect.stringContaining('suspended') });

    const reactivated = await request(t.baseUrl, 'POST', `/v1/accounts/${id}/reactivate`, { json: { reason: 'paid' } });
    expect(reactivated.status).toBe(200);
    // Never provisioned, so back to pending rather than active.
    expect(reactivated.body).toMatchObject({ status: 'pending', version: 3, suspensionReasons: null });

    expect((await request(t.baseUrl, 'POST', `/v1/accounts/${id}/reactivate`, { json: { reason: 'again' } })).status).toBe(409);

    const written = await events(id);
    expect(written.map((e) => e.type)).toEqual([EventType.AccountCreated, EventType.AccountSuspended, EventType.AccountReactivated]);
    expect(written[1].data).toMatchObject({ accountId: id, reasons: ['chargeback'] });
    expect(written[2].data).toMatchObject({ accountId: id, reason: 'paid' });
    for (const e of written) {
      if (!isEventType(e.type)) throw new Error(`unknown event type ${e.type} in the outbox`);
      const type = e.type;
      expect(() => assertEventData(type, e.data)).not.toThrow();
    }
  });

  it('validates the reason and refuses a stale If-Match on a transition', async () => {
    const id = await signup();
    const missing = await request(t.baseUrl, 'POST', `/v1/accounts/${id}/suspend`, { json: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ pointer: '/reason', detail: 'is required' }]);
    const stale = await request(t.baseUrl, 'POST', `/v1/accounts/${id}/suspend`, { json: { reason: 'x' }, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    const current = await request(t.baseUrl, 'POST', `/v1/accounts/${id}/suspend`, { json: { reason: 'x' }, headers: { 'if-match': '"1"' } });
    expect(current.status).toBe(200);
  });

  it('closes with erasure: personal data pseudonymised, a closed event without it, and the email free again', async () => {
    const id = await signup({ email: 'Erase.Me@Example.com', displayName: 'Erase Me', externalId: 'crm-erase', signupContext: { ip: '198.51.100.4', userAgent: 'Firefox' } });
    const closed = await request(t.baseUrl, 'DELETE', `/v1/accounts/${id}`);
    expect(closed.status).toBe(204);
    expect(closed.headers.get('etag')).toBe('"2"');

    const shown = await request(t.baseUrl, 'GET', `/v1/accounts/${id}`);
    expect(shown.body).toMatchObject({ status: 'closed', email: `erased:${id}`, displayName: 'erased', externalId: null, closedAt: expect.any(String) });

    const [row] = await t.db.query('SELECT * FROM accounts.accounts WHERE id = $1', [id]);
    expect(row).toMatchObject({ email: `erased:${id}`, email_normalized: `erased:${id}`, display_name: 'erased', external_id: null, signup_ip: null, signup_user_agent: null });
    const rowText = JSON.stringify(row);
    for (const personal of ['Erase.Me', 'erase.me', 'Erase Me', 'crm-erase', '198.51.100.4', 'Firefox']) expect(rowText).not.toContain(personal);

    const written = await events(id);
    expect(written.map((e) => e.type)).toEqual([EventType.AccountCreated, EventType.AccountClosed]);
    expect(Object.keys(written[1].data).sort()).toEqual(['accountId', 'closedAt']);

    // Closed is final.
    expect((await request(t.baseUrl, 'DELETE', `/v1/accounts/${id}`)).status).toBe(409);
    expect((await request(t.baseUrl, 'POST', `/v1/accounts/${id}/reactivate`, { json: { reason: 'undo' } })).status).toBe(409);
    const patch = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { plan: 'pro' }, headers: { 'if-match': '"2"' } });
    expect(patch.status).toBe(409);
    expect(patch.body.code).toBe('ACCOUNT_CLOSED');

    // The address can register again: the erased row no longer holds it.
    expect((await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'erase.me@example.com', displayName: 'Back' } })).status).toBe(201);
  });

  it('PATCHes under If-Match: new ETag, account.updated.v1 naming the changed fields, 412 for the stale version', async () => {
    const id = await signup();
    const res = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, {
      json: { displayName: 'Renamed', locale: 'pt-br', plan: 'free' },
      headers: { 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body).toMatchObject({ displayName: 'Renamed', locale: 'pt-BR', plan: 'free', version: 2 });

    const written = await events(id);
    expect(written.map((e) => e.type)).toEqual([EventType.AccountCreated, EventType.AccountUpdated]);
    // plan was already "free": only what changed is named, and no values travel.
    expect(written[1].data).toMatchObject({ accountId: id, version: 2, changedFields: ['displayName', 'locale'] });

    const stale = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { displayName: 'Lost update' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.detail).toContain('"2"');
    expect((await request(t.baseUrl, 'GET', `/v1/accounts/${id}`)).body.displayName).toBe('Renamed');
  });

  it('lets exactly one of two concurrent PATCHes based on the same version win', async () => {
    const id = await signup();
    const results = await Promise.all(
      ['Alice', 'Bob'].map((displayName) => request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { displayName }, headers: { 'if-match': '"1"' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect((await events(id)).filter((e) => e.type === EventType.AccountUpdated)).toHaveLength(1);
  });

  it('PATCH: a no-op writes nothing; externalId can be set once; bad fields are named', async () => {
    const id = await signup();
    const noop = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { plan: 'free' }, headers: { 'if-match': '*' } });
    expect(noop.status).toBe(200);
    expect(noop.body.version).toBe(1);

    expect((await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { externalId: 'sso-1' }, headers: { 'if-match': '"1"' } })).status).toBe(200);
    const relink = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { externalId: 'sso-2' }, headers: { 'if-match': '"2"' } });
    expect(relink.status).toBe(422);
    expect(relink.body).toMatchObject({ code: 'EXTERNAL_ID_IMMUTABLE', errors: [{ pointer: '/externalId' }] });

    const bad = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { email: 'new@example.com', plan: '' }, headers: { 'if-match': '"2"' } });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual(['/email', '/plan']);

    const empty = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: {}, headers: { 'if-match': '"2"' } });
    expect(empty.status).toBe(400);
    const malformedTag = await request(t.baseUrl, 'PATCH', `/v1/accounts/${id}`, { json: { plan: 'pro' }, headers: { 'if-match': 'version-2' } });
    expect(malformedTag.status).toBe(400);
    expect(malformedTag.body.code).toBe('INVALID_IF_MATCH');
  });

  it('answers 404 for transitions of an unknown account', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts/3f1c1d2e-0000-4000-8000-000000000001/suspend', { json: { reason: 'x' } });
    expect(res.status).toBe(404);
    expect((await request(t.baseUrl, 'DELETE', '/v1/accounts/3f1c1d2e-0000-4000-8000-000000000001')).status).toBe(404);
  });
});
