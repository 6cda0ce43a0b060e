import { randomUUID } from 'node:crypto';
import { EventSink, deterministicEventId } from '@platform/consumer-runtime';
import { EventEnvelope, EventType, PermanentError, Topic, assertEventData, createEnvelope, encodeEnvelope } from '@platform/contracts';
import { TenantsFixture, tenantsFixture } from '../../test/tenant-fixtures';
import { provisioningSteps } from '../steps/provisioning-steps';
import { StepFailedError, StepRunner } from '../steps/step-runner';
import { inTenantTransaction } from '../tenants/tenant-transaction';
import { ident, tenantWorkspace } from '../tenants/tenant-workspace';
import { DeprovisionWorkspaceHandler } from './deprovision-workspace.handler';
import { PROVISIONING_SOURCE, ProvisionWorkspaceHandler } from './provision-workspace.handler';

/** Keeps what was published, the way a consumer of the topic would see it. */
class RecordingSink implements EventSink {
  readonly published: { topic: string; event: EventEnvelope }[] = [];
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) this.published.push({ topic, event });
  }
}

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function created(accountId: string = randomUUID()) {
  return createEnvelope({
    type: EventType.AccountCreated,
    source: 'urn:platform:accounts',
    subject: accountId,
    traceparent: TRACEPARENT,
    data: {
      accountId,
      email: 'lena.fischer@example.de',
      displayName: 'Lena Fischer',
      locale: 'de-DE',
      plan: 'business',
      externalId: 'crm-48213',
      signupContext: { ip: '192.0.2.91', userAgent: 'Mozilla/5.0' },
      createdAt: new Date().toISOString(),
    },
  });
}

function closed(accountId: string) {
  return createEnvelope({
    type: EventType.AccountClosed,
    source: 'urn:platform:accounts',
    subject: accountId,
    data: { accountId, closedAt: new Date().toISOString() },
  });
}

describe('workspace handlers against a real tenants database', () => {
  let fx: TenantsFixture;
  // fx.newTenant registers the role for cleanup; the handlers derive the same names from the id.
  const newAccount = () => fx.newTenant().accountId;

  beforeAll(async () => {
    fx = await tenantsFixture('provisioning_handlers_it');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('provisions and publishes provisioning.completed.v1 with the workspace, keyed by account, once per cause', async () => {
    const sink = new RecordingSink();
    const handler = new ProvisionWorkspaceHandler(new StepRunner(provisioningSteps(fx.db)), sink);
    const event = created(newAccount());

    await handler.handle(event);
    await handler.handle(event); // a redelivery

    const schema = tenantWorkspace(event.data.accountId).schema;
    expect(await fx.schemaExists(schema)).toBe(true);
    expect(sink.published).toHaveLength(2);
    const [first, second] = sink.published;
    expect(first.topic).toBe(Topic.ProvisioningResults);
    expect(first.event.id).toBe(deterministicEventId('provisioning-completed', event.id));
    expect(second.event.id).toBe(first.event.id);
    expect(first.event).toMatchObject({ type: EventType.ProvisioningCompleted, source: PROVISIONING_SOURCE, subject: event.data.accountId, traceparent: TRACEPARENT });
    expect(encodeEnvelope(first.event).key).toBe(event.data.accountId);
    assertEventData(EventType.ProvisioningCompleted, first.event.data);
    expect(first.event.data).toMatchObject({ accountId: event.data.accountId, causationId: event.id, workspace: { schema } });
    const plan = await fx.db.pool.query(`SELECT value FROM ${ident(schema)}.settings WHERE key = 'plan'`);
    expect(plan.rows[0].value).toBe('business');
  });

  it('on a permanent step failure publishes provisioning.failed.v1, leaves nothing behind and rethrows for the DLT', async () => {
    const sink = new RecordingSink();
    const failing = {
      name: 'reserve-quota',
      apply: (t: ReturnType<typeof tenantWorkspace>) => inTenantTransaction(fx.db, t, (c) => c.query(`SELECT 'unlimited'::int`)).then(() => undefined),
      compensate: async () => undefined,
    };
    const handler = new ProvisionWorkspaceHandler(new StepRunner([...provisioningSteps(fx.db), failing]), sink);
    const event = created(newAccount());

    const attempt = handler.handle(event);

    await expect(attempt).rejects.toBeInstanceOf(StepFailedError);
    await expect(attempt).rejects.toBeInstanceOf(PermanentError);
    const tenant = tenantWorkspace(event.data.accountId);
    expect(await fx.schemaExists(tenant.schema)).toBe(false);
    expect(await fx.roleCount(tenant.role)).toBe(0);
    expect(sink.published).toHaveLength(1);
    const [{ topic, event: failed }] = sink.published;
    expect(topic).toBe(Topic.ProvisioningResults);
    expect(failed.type).toBe(EventType.ProvisioningFailed);
    expect(failed.id).toBe(deterministicEventId('provisioning-failed', event.id));
    assertEventData(EventType.ProvisioningFailed, failed.data);
    expect(failed.data).toMatchObject({ accountId: event.data.accountId, causationId: event.id, step: 'reserve-quota', errorCode: 'TENANT_DB_REJECTED' });
  });

  it('DEPROVISION_MODE=drop removes schema and role, and a replay finds nothing to do', async () => {
    const accountId = newAccount();
    const tenant = tenantWorkspace(accountId);
    await new ProvisionWorkspaceHandler(new StepRunner(provisioningSteps(fx.db)), new RecordingSink()).handle(created(accountId));
    await fx.asRole(tenant.role, (c) => c.query(`CREATE TABLE ${ident(tenant.schema)}.projects (name text)`));
    const handler = new DeprovisionWorkspaceHandler(fx.db, 'drop');

    expect(await handler.handle(closed(accountId))).toBe('dropped');
    expect(await handler.handle(closed(accountId))).toBe('already-gone');

    expect(await fx.schemaExists(tenant.schema)).toBe(false);
    expect(await fx.roleCount(tenant.role)).toBe(0);
  });

  it('DEPROVISION_MODE=archive keeps the data under archived_<...>, drops the role, and is idempotent', async () => {
    const accountId = newAccount();
    const tenant = tenantWorkspace(accountId);
    await new ProvisionWorkspaceHandler(new StepRunner(provisioningSteps(fx.db)), new RecordingSink()).handle(created(accountId));
    await fx.asRole(tenant.role, async (c) => {
      await c.query(`CREATE TABLE ${ident(tenant.schema)}.projects (name text)`);
      await c.query(`INSERT INTO ${ident(tenant.schema)}.projects VALUES ('apollo')`);
    });
    const handler = new DeprovisionWorkspaceHandler(fx.db, 'archive');

    expect(await handler.handle(closed(accountId))).toBe('archived');
    expect(await handler.handle(closed(accountId))).toBe('already-archived');

    expect(await fx.schemaExists(tenant.schema)).toBe(false);
    expect(await fx.schemaExists(tenant.archivedSchema)).toBe(true);
    expect(await fx.roleCount(tenant.role)).toBe(0);
    const kept = await fx.db.pool.query(`SELECT name FROM ${ident(tenant.archivedSchema)}.projects`);
    expect(kept.rows).toEqual([{ name: 'apollo' }]);
    const settings = await fx.db.pool.query(`SELECT count(*)::int AS n FROM ${ident(tenant.archivedSchema)}.settings`);
    expect(settings.rows[0].n).toBe(3);
  });

  it('closing an account that was never provisioned is not an error', async () => {
    expect(await new DeprovisionWorkspaceHandler(fx.db, 'drop').handle(closed(newAccount()))).toBe('already-gone');
    expect(await new DeprovisionWorkspaceHandler(fx.db, 'archive').handle(closed(newAccount()))).toBe('already-gone');
  });
});
