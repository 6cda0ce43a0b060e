import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { OUTBOX_NOTIFY_CHANNEL } from '@platform/outbox';
import { waitFor } from '@platform/testing';
import { TestApp, request, startTestApp } from '../../test/test-app';

describe('waking the relay after commit, over PostgreSQL', () => {
  let t: TestApp;
  let listener: Client;
  let notifications = 0;
  beforeAll(async () => {
    t = await startTestApp('outbox-wakeups');
    listener = new Client({ connectionString: t.config.database.url });
    await listener.connect();
    listener.on('notification', (n) => {
      if (n.channel === OUTBOX_NOTIFY_CHANNEL) notifications++;
    });
    await listener.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await t?.close();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('notifies after a sign-up (one statement) and after a transition (a transaction), never for a refused write', async () => {
    const email = `${randomUUID()}@example.com`;
    notifications = 0;
    const created = await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email, displayName: 'Wake' } });
    expect(created.status).toBe(201);
    await waitFor(() => (notifications >= 1 ? true : undefined), { timeoutMs: 2_000, what: 'a notification after the sign-up' });

    const before = notifications;
    const suspended = await request(t.baseUrl, 'POST', `/v1/accounts/${created.body.id}/suspend`, { json: { reason: 'test' } });
    expect(suspended.status).toBe(200);
    await waitFor(() => (notifications > before ? true : undefined), { timeoutMs: 2_000, what: 'a notification after the suspension' });

    await settle();
    const quiet = notifications;
    expect((await request(t.baseUrl, 'POST', '/v1/accounts', { json: { email, displayName: 'Again' } })).status).toBe(409);
    expect((await request(t.baseUrl, 'POST', `/v1/accounts/${created.body.id}/suspend`, { json: { reason: 'twice' } })).status).toBe(409);
    await settle();
    expect(notifications).toBe(quiet);
  });

  it('no longer notifies from inside the writing transaction (no trigger on the outbox)', async () => {
    const [row] = await t.db.query(
      `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'accounts.outbox'::regclass AND NOT tgisinternal`,
    );
    expect(row.n).toBe(0);
  });

  it('wakes the relay after a burst of concurrent sign-ups', async () => {
    await settle();
    notifications = 0;
    const burst = await Promise.all(
      Array.from({ length: 100 }, () => request(t.baseUrl, 'POST', '/v1/accounts', { json: { email: `${randomUUID()}@example.com`, displayName: 'Burst' } })),
    );
    expect(burst.every((r) => r.status === 201)).toBe(true);
    await settle();
    // How many depends on timing (coalescing is tested in libs/outbox); at least the last commit woke it.
    expect(notifications).toBeGreaterThanOrEqual(1);
  });
});
