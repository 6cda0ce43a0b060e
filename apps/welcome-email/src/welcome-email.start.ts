import type { Consumer as KafkaConsumer } from 'kafkajs';
import { ConsumerContext, ConsumerStart, PeriodicPrune } from '@platform/consumer-runtime';
import { Topic, consumerTopics } from '@platform/contracts';
import { AccountStatusFeed } from './account-status/account-status-feed';
import { AccountStatusStore } from './account-status/account-status-store';
import { observeCircuitBreaker } from './breaker/breaker-metrics';
import { ConsumptionSwitch } from './breaker/consumption-switch';
import { SmtpCircuitBreaker } from './breaker/smtp-circuit-breaker';
import type { WelcomeEmailSettings } from './config';
import { WelcomeEmailModule } from './welcome-email.module';
import { WelcomeMailHandler } from './welcome/welcome-mail.handler';
import { observedTransport } from './welcome/observed-transport';
import { createSmtpTransport } from './welcome/smtp-transport';

/** Builds the mail handler with its circuit breaker and account-status guard; the runtime runs it. */
export async function startWelcomeEmail(context: ConsumerContext<WelcomeEmailSettings>): Promise<ConsumerStart> {
  const { consumer, settings, config, log, logger, inboxPool, releaseOnStop } = context;
  // The feed and the switch log through the platform's logger interface, which Nest's Logger is not.
  const appLog = log.child({ context: consumer.name });

  const transport = createSmtpTransport(settings.smtp);
  releaseOnStop(() => transport.close());
  const breaker = new SmtpCircuitBreaker(settings.breaker, () => transport.verify());
  observeCircuitBreaker(breaker);
  const accounts = new AccountStatusStore(inboxPool, config.inboxSchema);
  await accounts.ensureTable();

  // The guard is fed before the first mail can go out, and by a group of its own (see the feed).
  const feed = new AccountStatusFeed({
    kafka: config.kafka,
    groupId: `${consumer.groupId}.account-status`,
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
  releaseOnStop(() => feed.stop());
  const { retentionMs, pruneIntervalMs } = settings.accountStatus;
  const pruner = new PeriodicPrune('account status guard', () => accounts.prune(retentionMs), pruneIntervalMs, log.child({ context: 'account-status' }));
  pruner.start();
  releaseOnStop(() => pruner.stop());

  const handler = new WelcomeMailHandler(observedTransport(transport, settings.smtp), settings.mail, { breaker, accounts });
  return {
    module: WelcomeEmailModule.register(handler),
    server: {
      retry: settings.retry,
      // A mail cannot be unsent: commit after each one, so a crash repeats at most the mail in
      // flight, not a whole run, and a send held by the open circuit breaker holds no others.
      maxRecordsPerCommit: 1,
    },
    listening: (app) => {
      const [, kafkaConsumer] = app.unwrap<[unknown, KafkaConsumer]>();
      breaker.subscribe(new ConsumptionSwitch(kafkaConsumer, consumerTopics(consumer), appLog));
      // runConsumerApp's own handlers ran first and began the drain; a send waiting for the circuit is
      // let go now (the runtime leaves its record for the next run) instead of holding up the drain.
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => setImmediate(() => breaker.stop()));
    },
    summary:
      `SMTP ${settings.smtp.host}:${settings.smtp.port} ` +
      `(circuit opens after ${settings.breaker.failureThreshold} failures, probes every ${settings.breaker.probeIntervalMs} ms)`,
  };
}
