import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@platform/contracts';
import { DeprovisionWorkspaceHandler } from './deprovision-workspace.handler';
import { ProvisionWorkspaceHandler } from './provision-workspace.handler';

/** Nest's edge of the consumer: routes by ce_type and hands over to the handlers, which know no Nest. */
@Controller()
export class WorkspaceController {
  private readonly logger = new Logger(WorkspaceController.name);

  constructor(
    @Inject(ProvisionWorkspaceHandler) private readonly provision: ProvisionWorkspaceHandler,
    @Inject(DeprovisionWorkspaceHandler) private readonly deprovision: DeprovisionWorkspaceHandler,
  ) {}

  @EventPattern(EventType.AccountCreated)
  async onAccountCreated(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>): Promise<void> {
    const completed = await this.provision.handle(event);
    this.logger.log(`account ${event.subject}: workspace ${completed.data.workspace.schema} ready`);
  }

  @EventPattern(EventType.AccountClosed)
  async onAccountClosed(@Payload() event: EventEnvelope<typeof EventType.AccountClosed>): Promise<void> {
    const outcome = await this.deprovision.handle(event);
    this.logger.log(`account ${event.subject}: workspace ${outcome}`);
  }
}
