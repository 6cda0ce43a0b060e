import { Module } from '@nestjs/common';
import { ApplyAbuseVerdictService } from './apply-abuse-verdict.service';
import { ApplyProvisioningResultService } from './apply-provisioning-result.service';
import { InboxConnectionPool } from './inbox-connection-pool';
import { InboxKafkaController } from './inbox.kafka.controller';

/**
 * The inbox: application services (database only) and their Kafka controller. The controller
 * receives events only when bootstrap.ts connects the Kafka transport, which it does when
 * ACCOUNTS_INBOX_ENABLED is on; otherwise it is inert and the app is HTTP-only.
 */
@Module({
  controllers: [InboxKafkaController],
  providers: [ApplyAbuseVerdictService, ApplyProvisioningResultService, InboxConnectionPool],
  exports: [ApplyAbuseVerdictService, ApplyProvisioningResultService],
})
export class InboxModule {}
