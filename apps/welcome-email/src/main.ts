import './telemetry';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { pgTimeoutOptions } from '@platform/config';
import type { Consumer as KafkaConsumer } from 'kafkajs';
import { PeriodicPrune, runConsumerApp } from '@platform/consumer-runtime';
import { Consumer, Topic, consumerDeclaration, consumerTopics } from '@platform/contracts';
import { NestJsonLogger, createJsonLogger, logIdleConnectionErrors } from '@platform/observability';
import { Pool } from 'pg';
import { AccountStatusFeed } from './account-status/account-status-feed';
import { AccountStatusStore } from './account-status/account-status-store';
import { observeCircuitBreaker } from './breaker/breaker-metrics';
import { ConsumptionSwitch } from './breaker/consumption-switch';
import { SmtpCircuitBreaker } from './breaker/smtp-circuit-breaker';
import { readWelcomeEmailConfig } from './config';
import { WelcomeEmailModule } from './welcome-email.module';
import { WelcomeMailHandler } from './welcome/welcome-mail.handler';
import { observedTransport } from './welcome/observed-transport';
import { createSmtpTransport } from './welcome/smtp-transport';

const SERVICE = 'welcome-email';

async function main(): Promise<void> {
  // The only place this app reads the environment.
  const config = readWelcomeEmailConfig(process.env);
  const log = createJsonLogger({ service: SERVICE, level: config.log.level });
  Logger.overrideLogger(new NestJsonLogger(log));
  const logger = new Logger(SERVICE);
  // The feed and the switch log through the platform's logger interface, which Nest's Logger is not.
  const appLog = log.child({ context: SERVICE });
  const declaration = consumerDeclaration(Consumer.WelcomeEmail);

  const inboxPool = new Pool({ connectionString: config.database.url, max: config.database.poolSize, ...pgTimeoutOptions(config.database) });
  logIdleConnectionErrors(inboxPool, 'inbox pool', (m) => logger.warn(m));
  const transport = createSmtpTransport(config.smtp);
  const breaker = new SmtpCircuitBreaker(config.breaker, () => transport.verify());
  observeCircuitBreaker(breaker);
  const accounts = new AccountStatusStore(inboxPool, config.inboxSchema);
  await accounts.ensureTable();

  // The guard is fed before the first mail can go out, and by a group of its own (see the feed).
  const feed = new AccountStatusFeed({
    kafka: config.kafka,
    groupId: `${declaration.groupId}.account-status`,
    topic: Topic.AccountLifecycle,
    store: accounts,
    logger: appLog,
    onFatal: (error) => {
      // A stale guard would mail suspended accounts; better to stop and be restarted.
      logger.error(`account status feed stopped for good: ${error.message}`);
      process.exit(1);
    },
  });
  await feed.start();
  const { retentionMs, pruneIntervalMs } = config.accountStatus;
  const pruner = new PeriodicPrune('account status guard', () => accounts.prune(retentionMs), pruneIntervalMs, log.child({ context: 'account-status' }));
  pruner.start();

  const handler = new WelcomeMailHandler(observedTransport(transport, config.smtp), config.mail, { breaker, accounts });
  const app = await runConsumerApp({
    module: WelcomeEmailModule.register(handler),
    logger: log,
    server: {
      consumer: declaration,
      kafka: config.kafka,
      inbox: { pool: inboxPool, schema: config.inboxSchema, ...config.inboxRetention },
      retry: config.retry,
      health: config.health,
      // A mail cannot be unsent: commit after each one, so a crash repeats at most the mail in
      // flight, not a whole run, and a send held by the open circuit breaker holds no others.
      maxRecordsPerCommit: 1,
    },
    // After the drain: in-flight records may still need these.
    release: async () => {
      await pruner.stop();
      await feed.stop();
      transport.close();
      await inboxPool.end();
    },
  });
  const [, kafkaConsumer] = app.unwrap<[unknown, KafkaConsumer]>();
  breaker.subscribe(new ConsumptionSwitch(kafkaConsumer, consumerTopics(declaration), appLog));
  // runConsumerApp's own handlers ran first and began the drain; a send waiting for the circuit is
  // let go now (the runtime leaves its record for the next run) instead of holding up the drain.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => setImmediate(() => breaker.stop()));

  logger.log(
    `consuming as ${Consumer.WelcomeEmail}; SMTP ${config.smtp.host}:${config.smtp.port} ` +
      `(circuit opens after ${config.breaker.failureThreshold} failures, probes every ${config.breaker.probeIntervalMs} ms); ` +
      `health on ${config.health.host}:${config.health.port}`,
  );
}

main().catch((error: unknown) => {
  // ConfigError's problems name every bad variable; anything else gets its stack.
  const problems = (error as { problems?: unknown }).problems;
  createJsonLogger({ service: SERVICE }).error('failed to start', { error, ...(problems ? { problems } : { stack: (error as Error)?.stack }) });
  process.exit(1);
});
