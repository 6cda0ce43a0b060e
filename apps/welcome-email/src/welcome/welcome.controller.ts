import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@platform/contracts';
import { WelcomeMailHandler } from './welcome-mail.handler';

/** Nest's edge of the consumer: routes by ce_type and hands over to the handler, which knows no Nest. */
@Controller()
export class WelcomeController {
  private readonly logger = new Logger(WelcomeController.name);

  constructor(@Inject(WelcomeMailHandler) private readonly handler: WelcomeMailHandler) {}

  @EventPattern(EventType.AccountCreated)
  async onAccountCreated(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>): Promise<void> {
    const outcome = await this.handler.handle(event);
    // The account id and Message-ID identify the mail; the address stays out of the logs.
    if (outcome.kind === 'sent') this.logger.log(`welcome mail ${outcome.messageId} (${outcome.locale}) sent for account ${event.subject}`);
    else this.logger.log(`welcome mail withheld for account ${event.subject}: account is ${outcome.status}`);
  }
}
