import './telemetry';
import 'reflect-metadata';
import { runConsumer } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { DEFAULT_HEALTH_PORT, INBOX_SCHEMA, readWelcomeEmailSettings } from './config';
import { startWelcomeEmail } from './welcome-email.start';

void runConsumer({
  consumer: consumerDeclaration(Consumer.WelcomeEmail),
  inboxSchema: INBOX_SCHEMA,
  healthPort: DEFAULT_HEALTH_PORT,
  settings: readWelcomeEmailSettings,
  start: startWelcomeEmail,
});
