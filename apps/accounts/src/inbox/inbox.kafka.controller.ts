import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@platform/contracts';
import { EventContext, EventHandler } from '@platform/consumer-runtime';
import { ApplyAbuseVerdictService } from './apply-abuse-verdict.service';
import { ApplyProvisioningResultService } from './apply-provisioning-result.service';

/**
 * Kafka → services, nothing more. Decoding, schema validation, retries, dead letters and the
 * runtime's own idempotency happen in @platform/consumer-runtime; what an event does to an
 * account is decided in the services, which are tested without a broker. An error thrown here
 * is classified by the runtime: AccountNotFoundError and other PermanentErrors go to the
 * dead-letter topic, anything else (a database outage) is retried.
 */
@Controller()
export class InboxKafkaController {
  constructor(
    private readonly verdicts: ApplyAbuseVerdictService,
    private readonly provisioning: ApplyProvisioningResultService,
  ) {}

  @EventHandler(EventType.AbuseVerdictIssued)
  async onVerdict(@Payload() event: EventEnvelope<typeof EventType.AbuseVerdictIssued>, @Ctx() _ctx: EventContext): Promise<void> {
    await this.verdicts.apply(event);
  }

  @EventHandler(EventType.ProvisioningCompleted)
  async onProvisioningCompleted(@Payload() event: EventEnvelope<typeof EventType.ProvisioningCompleted>, @Ctx() _ctx: EventContext): Promise<void> {
    await this.provisioning.completed(event);
  }

  @EventHandler(EventType.ProvisioningFailed)
  async onProvisioningFailed(@Payload() event: EventEnvelope<typeof EventType.ProvisioningFailed>, @Ctx() _ctx: EventContext): Promise<void> {
    await this.provisioning.failed(event);
  }
}
