import './telemetry';
import 'reflect-metadata';
import { runConsumer } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { startAbuseScan } from './abuse-scan.start';
import { DEFAULT_HEALTH_PORT, INBOX_SCHEMA, readAbuseScanSettings } from './config';

void runConsumer({
  consumer: consumerDeclaration(Consumer.AbuseScan),
  inboxSchema: INBOX_SCHEMA,
  healthPort: DEFAULT_HEALTH_PORT,
  settings: readAbuseScanSettings,
  start: startAbuseScan,
  // Its message names the policy file and every problem in it.
  plainErrors: ['PolicyError'],
});
