import { EventEnvelope, EventType, Topic, createEnvelope } from '@platform/contracts';
import type { EventSink } from '@platform/consumer-runtime';
import { ConsumerHarness, startConsumer } from '@platform/consumer-runtime/testing';
import { waitFor } from '@platform/testing';
import { TenantsFixture, tenantsFixture } from '../test/tenant-fixtures';
import { ProvisioningModule } from './provisioning.module';
import { provisioningSteps } from './steps/provisioning-steps';
import { StepRunner } from './steps/step-runner';
import { tenantWorkspace } from './tenants/tenant-workspace';
import { DeprovisionWorkspaceHandler } from './workspace/deprovision-workspace.handler';
import { ProvisionWorkspaceHandler } from './workspace/provision-workspace.handler';

/** Results are kept here instead of going to the shared results topic. */
class RecordingSink implements EventSink {
  readonly published: { topic: string; event: EventEnvelope }[] = [];
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) this.published.push({ topic, event });
  }
}

describe('provisioning module on the consumer runtime', () => {
  const sink = new RecordingSink();
  let fx: TenantsFixture;
  let harness: ConsumerHarness;

  beforeAll(async () => {
    fx = await tenantsFixture('provisioning_wiring_it');
    const handlers = {
      provision: new ProvisionWorkspaceHandler(new StepRunner(provisioningSteps(fx.db)), sink),
      deprovision: new DeprovisionWorkspaceHandler(fx.db, 'drop'),
    };
    harness = await startConsumer('provisioning', ProvisioningModule.register(handlers));
  });
  afterAll(async () => {
    await harness?.close();
    await fx?.close();
  });

  it('provisions on account.created.v1 and deprovisions on account.closed.v1, in order', async () => {
    const accountId = fx.newTenant().accountId;
    const tenant = tenantWorkspace(accountId);
    await harness.publish(
      createEnvelope({
        type: EventType.AccountCreated,
        source: 'urn:platform:accounts',
        subject: accountId,
        data: {
          accountId,
          email: 'ops@northwind.example',
          displayName: 'Northwind Ops',
          locale: 'en-US',
          plan: 'team',
          externalId: null,
          signupContext: { ip: null, userAgent: null },
          createdAt: new Date().toISOString(),
        },
      }),
    );
    const completed = await waitFor(() => sink.published.find((p) => p.event.subject === accountId), { what: 'provisioning.completed.v1' });
    expect(completed.topic).toBe(Topic.ProvisioningResults);
    expect(completed.event.type).toBe(EventType.ProvisioningCompleted);
    expect(await fx.schemaExists(tenant.schema)).toBe(true);

    await harness.publish(
      createEnvelope({ type: EventType.AccountClosed, source: 'urn:platform:accounts', subject: accountId, data: { accountId, closedAt: new Date().toISOString() } }),
    );
    await waitFor(async () => !(await fx.schemaExists(tenant.schema)) && (await fx.roleCount(tenant.role)) === 0, { what: 'the workspace to be dropped' });
  });
});
