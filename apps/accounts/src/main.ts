import './telemetry';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@platform/config';
import { NestJsonLogger, createJsonLogger } from '@platform/observability';
import { loadAccountsConfig } from './config';
import { createAccountsApp } from './bootstrap';

const logger = new Logger('accounts');

async function main(): Promise<void> {
  const config = loadAccountsConfig();
  const app = await createAccountsApp(config, { logger: new NestJsonLogger(createJsonLogger({ service: 'accounts', level: config.log.level })) });
  // SIGTERM/SIGINT close the app in order: stop accepting, finish in-flight work, then the pool.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (config.inboxEnabled) await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);
  logger.log(`listening on http://${config.http.host}:${config.http.port} (inbox ${config.inboxEnabled ? 'enabled' : 'disabled'})`);
}

main().catch((error: unknown) => {
  // A ConfigError lists every bad variable; other start-up failures (database down, pending
  // migrations) are printed with their message so the operator knows what to fix.
  if (error instanceof ConfigError) console.error(error.message);
  else logger.error(`failed to start: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? error.stack : undefined);
  process.exit(1);
});
