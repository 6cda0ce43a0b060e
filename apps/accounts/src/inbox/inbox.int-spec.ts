import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OutboxWakeups } from '../outbox/outbox-wakeups';
import { DataSource } from 'typeorm';
import { EventType, PermanentError, assertEventData } from '@platform/contracts';
import { CreateAccountService } from '../accounts/create-account.service';
import { ChangeAccountStatusService } from '../accounts/change-account-status.service';
import { AccountEntity } from '../accounts/account.entity';
import { AccountNotFoundError } from '../accounts/account.errors';
import { ApplyAbuseVerdictService } from './apply-abuse-verdict.service';
import { ApplyProvisioningResultService } from './apply-provisioning-result.service';
import { TestDatabase, createMigratedDataSource, createTestDatabase, outboxRows } from '../../test/test-database';
import { provisioningCompletedEvent, provisioningFailedEvent, verdictEvent } from '../../test/inbound-events';

/** The inbox's application rules over a real database, without Kafka. */
describe('inbox application services', () => {
  let database: TestDatabase;
  let db: DataSource;
  let create: CreateAccountService;
  let status: ChangeAccountStatusService;
  let verdicts: ApplyAbuseVerdictService;
  let provisioning: ApplyProvisioningResultService;

  beforeAll(async () => {
    database = await createTestDatabase('inbox');
    db = await createMigratedDataSource(database);
    // No relay listens here: waking one is not what these tests are about.
    create = new CreateAccountService(db, { poke: () => undefined } as unknown as OutboxWakeups);
    status = new ChangeAccountStatusService(db);
    verdicts = new ApplyAbuseVerdictService(db);
    provisioning = new ApplyProvisioningResultService(db);
    // The services log each outcome; the assertions below read the database instead.
    Logger.overrideLogger(false);
  });
  afterAll(async () => {
    Logger.overrideLogger(['log', 'error', 'warn']);
    await db?.destroy();
    await database?.drop();
  });

  const newAccount = () => create.create({ email: `${randomUUID()}@example.com`, displayName: 'Inbox Test' });
  const load = (id: string) => db.manager.findOneByOrFail(AccountEntity, { id });
  const eventTypes = async (id: string) => (await outboxRows(db, id)).map((r) => r.event_type);
  const appliedOutcomes = async (eventId: string) => db.query('SELECT outcome FROM accounts.applied_events WHERE event_id = $1', [eventId]);

  it('stores an allow verdict without changing the status or emitting an event', async () => {
    const account = await newAccount();
    const event = verdictEvent(account.id, 'allow', { score: 7 });
    expect(await verdicts.apply(event)).toMatchObject({ status: 'applied' });
    expect(await load(account.id)).toMatchObject({ status: 'pending', abuseVerdict: 'allow', abuseScore: 7, version: 2 });
    expect(await eventTypes(account.id)).toEqual([EventType.AccountCreated]);
    expect(await appliedOutcomes(event.id)).toHaveLength(1);
  });

  it('suspends on a block verdict with the rules as reasons, in the same transaction as account.suspended.v1', async () => {
    const account = await newAccount();
    const event = verdictEvent(account.id, 'block');
    await verdicts.apply(event);

    const stored = await load(account.id);
    expect(stored).toMatchObject({ status: 'suspended', abuseVerdict: 'block', abuseScore: 95 });
    expect(stored.suspensionReasons).toEqual(['disposable-domain: disposable email domain', 'velocity: many sign-ups from one IP']);

    const rows = await outboxRows(db, account.id);
    expect(rows.map((r) => r.event_type)).toEqual([EventType.AccountCreated, EventType.AccountSuspended]);
    const suspended = JSON.parse(rows[1].value);
    expect(() => assertEventData(EventType.AccountSuspended, suspended)).not.toThrow();
    expect(suspended).toMatchObject({ accountId: account.id, reasons: stored.suspensionReasons });
    // The trace of the verdict continues on the event it caused.
    expect(rows[1].headers.traceparent).toBe(event.traceparent);
  });

  it('applies a redelivered event once: the duplicate changes nothing and writes nothing', async () => {
    const account = await newAccount();
    const event = verdictEvent(account.id, 'block');
    await verdicts.apply(event);
    const after = await load(account.id);
    expect(await verdicts.apply(event)).toEqual({ status: 'duplicate', detail: 'applied before' });
    expect(await load(account.id)).toEqual(after);
    expect(await eventTypes(account.id)).toEqual([EventType.AccountCreated, EventType.AccountSuspended]);
  });

  it('applies concurrent deliveries of the same event exactly once', async () => {
    const account = await newAccount();
    const event = provisioningCompletedEvent(account.id);
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => provisioning.completed(event)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate']);
    expect(await eventTypes(account.id)).toEqual([EventType.AccountCreated, EventType.AccountActivated]);
    expect((await load(account.id)).version).toBe(2);
  });

  it('keeps a second block for a suspended account as a stored verdict, without a second suspension', async () => {
    const account = await newAccount();
    await verdicts.apply(verdictEvent(account.id, 'block'));
    const outcome = await verdicts.apply(verdictEvent(account.id, 'block', { score: 99 }));
    expect(outcome.detail).toMatch(/not suspended: account is already suspended/);
    expect(await load(account.id)).toMatchObject({ status: 'suspended', abuseScore: 99 });
    expect(await eventTypes(account.id)).toEqual([EventType.AccountCreated, EventType.AccountSuspended]);
  });

  it('activates a pending account when provisioning completes, storing the workspace', async () => {
    const account = await newAccount();
    await provisioning.completed(provisioningCompletedEvent(account.id, 'tenant_abc'));
    expect(await load(account.id)).toMatchObject({ status: 'active', provisioningStatus: 'provisioned', workspaceSchema: 'tenant_abc' });
    const rows = await outboxRows(db, account.id);
    expect(rows.map((r) => r.event_type)).toEqual([EventType.AccountCreated, EventType.AccountActivated]);
    expect(() => assertEventData(EventType.AccountActivated, JSON.parse(rows[1].value))).not.toThrow();
  });

  it('does not activate a suspended account, and its reactivation then lands on active', async () => {
    const account = await newAccount();
    await verdicts.apply(verdictEvent(account.id, 'block'));
    const outcome = await provisioning.completed(provisioningCompletedEvent(account.id, 'tenant_s'));
    expect(outcome.detail).toMatch(/not activated: account is suspended/);
    expect(await load(account.id)).toMatchObject({ status: 'suspended', workspaceSchema: 'tenant_s' });

    const reactivated = await status.reactivate(account.id, 'false positive');
    expect(reactivated.status).toBe('active');
    expect(await eventTypes(account.id)).toEqual([EventType.AccountCreated, EventType.AccountSuspended, EventType.AccountReactivated]);
  });

  it('returns a never-provisioned account to pending on reactivation, and provisioning then activates it', async () => {
    const account = await newAccount();
    await verdicts.apply(verdictEvent(account.id, 'block'));
    expect((await status.reactivate(account.id, 'reviewed')).status).toBe('pending');
    await provisioning.completed(provisioningCompletedEvent(account.id));
    expect((await load(account.id)).status).toBe('active');
  });

  it('records a provisioning failure and keeps the account pending', async () => {
    const account = await newAccount();
    const outcome = await provisioning.failed(provisioningFailedEvent(account.id));
    expect(outcome.status).toBe('applied');
    expect(await load(account.id)).toMatchObject({ status: 'pending', provisioningStatus: 'failed' });
    expect(await eventTypes(account.id)).toEqual([EventType.AccountCreated]);
  });

  it('ignores a late failure once provisioning has completed', async () => {
    const account = await newAccount();
    await provisioning.completed(provisioningCompletedEvent(account.id));
    expect((await provisioning.failed(provisioningFailedEvent(account.id))).status).toBe('ignored');
    expect((await load(account.id)).provisioningStatus).toBe('provisioned');
  });

  it('ignores events for a closed account with a recorded reason, not an error', async () => {
    const account = await newAccount();
    await status.close(account.id);
    const before = await load(account.id);
    const block = verdictEvent(account.id, 'block');
    expect(await verdicts.apply(block)).toEqual({ status: 'ignored', detail: 'account is closed' });
    expect((await provisioning.completed(provisioningCompletedEvent(account.id))).status).toBe('ignored');
    expect(await load(account.id)).toEqual(before);
    expect(await eventTypes(account.id)).toEqual([EventType.AccountCreated, EventType.AccountClosed]);
    expect(await appliedOutcomes(block.id)).toEqual([{ outcome: 'ignored: account is closed' }]);
  });

  it('refuses an event for an unknown account as permanent, recording nothing', async () => {
    const unknown = randomUUID();
    const event = verdictEvent(unknown, 'allow');
    const error = await verdicts.apply(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountNotFoundError);
    expect(error).toBeInstanceOf(PermanentError);
    expect(await appliedOutcomes(event.id)).toEqual([]);
  });

  it('refuses an event whose data names another account than its subject', async () => {
    const account = await newAccount();
    const event = { ...verdictEvent(account.id, 'allow'), subject: randomUUID() };
    await expect(verdicts.apply(event)).rejects.toMatchObject({ code: 'EVENT_SUBJECT_MISMATCH', retriable: false });
    expect((await load(account.id)).version).toBe(1);
  });
});
