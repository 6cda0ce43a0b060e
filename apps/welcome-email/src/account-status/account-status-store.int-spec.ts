import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { FreshDatabase, createFreshDatabase } from '@platform/testing';
import { ACCOUNT_STATUS_UNAVAILABLE, AccountStatusChange, AccountStatusStore } from './account-status-store';

describe('AccountStatusStore on a real database', () => {
  let database: FreshDatabase;
  let pool: Pool;
  let store: AccountStatusStore;

  beforeAll(async () => {
    database = await createFreshDatabase('welcome_status_it');
    pool = new Pool({ connectionString: database.url, max: 3 });
    store = new AccountStatusStore(pool, 'welcome_email');
    // Twice and at once, as replicas starting together would.
    await Promise.all([store.ensureTable(), new AccountStatusStore(pool, 'welcome_email').ensureTable()]);
    await store.ensureTable();
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const change = (accountId: string, status: AccountStatusChange['status'], changedAt: string): AccountStatusChange => ({ accountId, status, changedAt, eventId: randomUUID() });

  it('blocks the mail of a suspended or closed account and of no other', async () => {
    const suspended = randomUUID();
    const closed = randomUUID();
    await store.record(change(suspended, 'suspended', '2026-03-01T10:00:00Z'));
    await store.record(change(closed, 'closed', '2026-03-01T10:00:00Z'));
    expect(await store.mailBlockedBy(suspended)).toBe('suspended');
    expect(await store.mailBlockedBy(closed)).toBe('closed');
    expect(await store.mailBlockedBy(randomUUID())).toBeUndefined();
  });

  it('lets the newest change win, whatever order the events arrive in, and keeps closed final', async () => {
    const account = randomUUID();
    await store.record(change(account, 'suspended', '2026-03-01T10:00:00Z'));
    await store.record(change(account, 'active', '2026-03-01T11:00:00Z'));
    expect(await store.mailBlockedBy(account)).toBeUndefined();
    // The suspension replayed after its reactivation changes nothing.
    await store.record(change(account, 'suspended', '2026-03-01T10:00:00Z'));
    expect(await store.mailBlockedBy(account)).toBeUndefined();

    await store.record(change(account, 'closed', '2026-03-02T09:00:00Z'));
    await store.record(change(account, 'active', '2026-03-03T09:00:00Z'));
    expect(await store.mailBlockedBy(account)).toBe('closed');
  });

  it('prunes rows recorded longer ago than the retention, and only those', async () => {
    const old = randomUUID();
    const recent = randomUUID();
    await store.record(change(old, 'suspended', '2026-01-01T00:00:00Z'));
    await store.record(change(recent, 'suspended', '2026-03-01T00:00:00Z'));
    await pool.query(`UPDATE welcome_email.account_status SET recorded_at = now() - interval '40 days' WHERE account_id = $1`, [old]);

    expect(await store.prune(35 * 86_400_000)).toBe(1);
    expect(await store.mailBlockedBy(old)).toBeUndefined();
    expect(await store.mailBlockedBy(recent)).toBe('suspended');
  });

  it('fails retriably with a stable code when it cannot answer, so no mail goes out unchecked', async () => {
    const broken = new AccountStatusStore(pool, 'no_such_schema');
    await expect(broken.mailBlockedBy(randomUUID())).rejects.toMatchObject({ code: ACCOUNT_STATUS_UNAVAILABLE, retriable: true });
  });
});
