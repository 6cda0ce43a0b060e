import './telemetry';
import 'reflect-metadata';
import { runConsumer } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { DEFAULT_HEALTH_PORT, INBOX_SCHEMA, readProvisioningSettings } from './config';
import { startProvisioning } from './provisioning.start';

void runConsumer({
  consumer: consumerDeclaration(Consumer.Provisioning),
  inboxSchema: INBOX_SCHEMA,
  healthPort: DEFAULT_HEALTH_PORT,
  settings: readProvisioningSettings,
  start: startProvisioning,
  // Its message says which database is missing or unreachable and what to do.
  plainErrors: ['TenantsDatabaseUnavailableError'],
});
