import { EventSink, deterministicEventId } from '@platform/consumer-runtime';
import { EventEnvelope, EventType, Topic, createEnvelope } from '@platform/contracts';
import { StepFailedError, StepRunner } from '../steps/step-runner';
import { tenantWorkspace } from '../tenants/tenant-workspace';

export const PROVISIONING_SOURCE = 'urn:platform:provisioning';

type CompletedEvent = EventEnvelope<typeof EventType.ProvisioningCompleted>;

/**
 * Sets up the workspace of a new account and says how it went on provisioning.results.v1. Both
 * outcome events take their id from the created event's id, so a redelivered record (crash after
 * publishing, before the inbox commit) republishes an event the accounts inbox already has.
 */
export class ProvisionWorkspaceHandler {
  constructor(
    private readonly runner: StepRunner,
    private readonly sink: EventSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async handle(event: EventEnvelope<typeof EventType.AccountCreated>): Promise<CompletedEvent> {
    const { accountId, plan, locale } = event.data;
    const tenant = tenantWorkspace(accountId, { plan, locale });
    const trace = { traceparent: event.traceparent, tracestate: event.tracestate };
    try {
      await this.runner.run(tenant);
    } catch (error) {
      if (error instanceof StepFailedError) {
        // The steps are undone; accounts learns why before the record goes to the dead-letter topic.
        const failed = createEnvelope({
          type: EventType.ProvisioningFailed,
          id: deterministicEventId('provisioning-failed', event.id),
          source: PROVISIONING_SOURCE,
          subject: accountId,
          ...trace,
          data: { accountId, causationId: event.id, step: error.step, errorCode: error.code, failedAt: this.now().toISOString() },
        });
        await this.sink.publish(Topic.ProvisioningResults, [failed]);
      }
      throw error;
    }
    const completed = createEnvelope({
      type: EventType.ProvisioningCompleted,
      id: deterministicEventId('provisioning-completed', event.id),
      source: PROVISIONING_SOURCE,
      subject: accountId,
      ...trace,
      data: { accountId, causationId: event.id, workspace: { schema: tenant.schema }, completedAt: this.now().toISOString() },
    });
    await this.sink.publish(Topic.ProvisioningResults, [completed]);
    return completed;
  }
}
