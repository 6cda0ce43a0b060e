import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@platform/contracts';
import { SignupScanHandler } from './signup-scan.handler';

/** Nest's edge of the consumer: routes by ce_type and hands over to the handler, which knows no Nest. */
@Controller()
export class SignupScanController {
  private readonly logger = new Logger(SignupScanController.name);

  constructor(@Inject(SignupScanHandler) private readonly handler: SignupScanHandler) {}

  @EventPattern(EventType.AccountCreated)
  async onAccountCreated(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>): Promise<void> {
    const verdict = await this.handler.handle(event);
    const rules = verdict.data.reasons.map((r) => r.rule).join(', ') || 'none';
    this.logger.log(`account ${verdict.subject}: ${verdict.data.verdict} (score ${verdict.data.score}; rules hit: ${rules})`);
  }
}
