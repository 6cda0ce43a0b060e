import { CloudEventHeader, EventType, Topic, assertEventData } from '@platform/contracts';
import { TestApp, request, startTestApp } from '../../test/test-app';
import { outboxRows } from '../../test/test-database';

describe('POST /v1/accounts and GET /v1/accounts/{id} over HTTP and PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('create');
  });
  afterAll(async () => {
    await t?.close();
  });

  const accountCount = async (): Promise<number> => Number((await t.db.query('SELECT count(*) AS n FROM accounts.accounts'))[0].n);

  it('creates a pending account: 201, Location, ETag, the account JSON, and account.created.v1 in the outbox', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', {
      json: {
        email: '  Ada.Lovelace@Example.COM ',
        displayName: 'Ada Lovelace',
        locale: 'en-gb',
        plan: 'pro',
        externalId: 'crm-42',
        signupContext: { ip: '203.0.113.7', userAgent: 'curl/8' },
      },
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });

    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`/v1/accounts/${id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      id,
      email: 'Ada.Lovelace@Example.COM',
      displayName: 'Ada Lovelace',
      locale: 'en-GB',
      plan: 'pro',
      externalId: 'crm-42',
      status: 'pending',
      version: 1,
    });
    expect(res.body.createdAt).toBe(res.body.updatedAt);

    const [row] = await t.db.query('SELECT * FROM accounts.accounts WHERE id = $1', [id]);
    expect(row).toMatchObject({
      email_normalized: 'ada.lovelace@example.com',
      status: 'pending',
      signup_ip: '203.0.113.7',
      signup_user_agent: 'curl/8',
      version: 1,
    });

    const outbox = await outboxRows(t.db, id);
    expect(outbox).toHaveLength(1);
    const [record] = outbox;
    expect(record).toMatchObject({ topic: Topic.AccountLifecycle, message_key: id, event_type: EventType.AccountCreated });
    expect(record.headers[CloudEventHeader.Source]).toBe('urn:platform:accounts');
    expect(record.headers[CloudEventHeader.Subject]).toBe(id);
    expect(record.headers[CloudEventHeader.Id]).toBe(record.event_id);
    expect(record.headers[CloudEventHeader.Time]).toBe(res.body.createdAt);
    expect(record.headers.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    const data = JSON.parse(record.value);
    expect(() => assertEventData(EventType.AccountCreated, data)).not.toThrow();
    expect(data).toEqual({
      accountId: id,
      email: 'Ada.Lovelace@Example.COM',
      displayName: 'Ada Lovelace',
      locale: 'en-GB',
      plan: 'pro',
      externalId: 'crm-42',
      signupContext: { ip: '203.0.113.7', userAgent: 'curl/8' },
      createdAt: res.body.createdAt,
    });

    const got = await request(t.baseUrl, 'GET', `/v1/accounts/${id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.body).toEqual(res.body);
  });

  it('applies defaults for locale and plan', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'defaults@example.com', displayName: 'D' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ locale: 'en', plan: 'free', externalId: null });
  });

  it('answers 400 naming every bad field and writes nothing', async () => {
    const before = await accountCount();
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', {
      json: { email: 'not-an-email', displayName: '', plan: 'x'.repeat(41), nickname: 'Ada', signupContext: { ip: '999.1.1.1' } },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/v1/accounts' });
    const pointers = (res.body.errors as { pointer: string; detail: string }[]).map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/displayName', '/email', '/nickname', '/plan', '/signupContext/ip']);
    expect(await accountCount()).toBe(before);
  });

  it('names a missing required field', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { displayName: 'No Email' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ pointer: '/email', detail: 'is required' }]);
  });

  it('answers 409 for the same email in another letter case, leaving exactly one account and one outbox row', async () => {
    const first = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'grace@example.com', displayName: 'Grace' } });
    expect(first.status).toBe(201);
    const duplicate = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: '  GRACE@Example.com ', displayName: 'Grace Again' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(duplicate.body).toMatchObject({ status: 409, code: 'EMAIL_ALREADY_REGISTERED', title: 'Email already registered' });

    const rows = await t.db.query(`SELECT id FROM accounts.accounts WHERE email_normalized = 'grace@example.com'`);
    expect(rows).toEqual([{ id: first.body.id }]);
    const outbox = await t.db.query(
      `SELECT event_type FROM accounts.outbox WHERE value::jsonb ->> 'email' ILIKE 'grace@example.com'`,
    );
    expect(outbox).toEqual([{ event_type: EventType.AccountCreated }]);
  });

  it('admits exactly one of many concurrent sign-ups with the same address', async () => {
    const attempts = await Promise.all(
      ['race@example.com', 'RACE@example.com', 'Race@Example.com', ' race@EXAMPLE.com', 'race@example.COM'].map((email) =>
        request(t.baseUrl, 'POST', '/v1/accounts', { json: { email, displayName: 'Racer' } }),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM accounts.accounts WHERE email_normalized = 'race@example.com'`);
    expect(n).toBe(1);
    const [{ events }] = await t.db.query(`SELECT count(*)::int AS events FROM accounts.outbox WHERE value::jsonb ->> 'email' ILIKE 'race@example.com'`);
    expect(events).toBe(1);
  });

  it('answers 409 for a taken external id', async () => {
    expect((await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'ext1@example.com', displayName: 'E', externalId: 'sso-7' } })).status).toBe(201);
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'ext2@example.com', displayName: 'E', externalId: 'sso-7' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('EXTERNAL_ID_ALREADY_REGISTERED');
  });

  it('answers 422 for a malformed locale', async () => {
    const res = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: 'loc@example.com', displayName: 'L', locale: 'not a tag!' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'LOCALE_INVALID', errors: [{ pointer: '/locale' }] });
  });

  it('GET answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await request(t.baseUrl, 'GET', '/v1/accounts/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', instance: '/v1/accounts/00000000-0000-4000-8000-000000000000' });

    const malformed = await request(t.baseUrl, 'GET', '/v1/accounts/12345');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_ACCOUNT_ID');
  });

  it('lists accounts oldest first with a cursor and a status filter', async () => {
    const page1 = await request<{ items: { id: string }[]; nextCursor: string | null }>(t.baseUrl, 'GET', '/v1/accounts?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await request<{ items: { id: string }[] }>(t.baseUrl, 'GET', `/v1/accounts?limit=2&cursor=${page1.body.nextCursor}`);
    const ids = [...page1.body.items, ...page2.body.items].map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);

    const all = await t.db.query(`SELECT id FROM accounts.accounts ORDER BY created_at, id`);
    expect(ids).toEqual(all.slice(0, ids.length).map((r: { id: string }) => r.id));

    const none = await request<{ items: unknown[] }>(t.baseUrl, 'GET', '/v1/accounts?status=closed');
    expect(none.body.items).toEqual([]);
    const bad = await request(t.baseUrl, 'GET', '/v1/accounts?status=zombie');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ pointer: '/status', detail: expect.any(String) }]);
  });

  it('finds an account by email in any letter case, combined with the status filter', async () => {
    const byEmail = await request<{ items: { id: string; email: string }[] }>(t.baseUrl, 'GET', `/v1/accounts?email=${encodeURIComponent(' ADA.lovelace@example.com')}`);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.items.map((a) => a.email)).toEqual(['Ada.Lovelace@Example.COM']);
    const wrongStatus = await request<{ items: unknown[] }>(t.baseUrl, 'GET', '/v1/accounts?email=ada.lovelace@example.com&status=closed');
    expect(wrongStatus.body.items).toEqual([]);
    const nobody = await request<{ items: unknown[] }>(t.baseUrl, 'GET', '/v1/accounts?email=nobody@example.com');
    expect(nobody.body.items).toEqual([]);
  });
});
