import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runConsumerApp } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { Pool } from 'pg';
import { readWelcomeEmailConfig } from './config';
import { WelcomeEmailModule } from './welcome-email.module';
import { WelcomeMailHandler } from './welcome/welcome-mail.handler';
import { createSmtpTransport } from './welcome/smtp-transport';

async function main(): Promise<void> {
  const logger = new Logger('welcome-email');
  // The only place this app reads the environment.
  const config = readWelcomeEmailConfig(process.env);

  const inboxPool = new Pool({ connectionString: config.database.url, max: config.database.poolSize });
  const transport = createSmtpTransport(config.smtp);
  const handler = new WelcomeMailHandler(transport, config.mail);

  await runConsumerApp({
    module: WelcomeEmailModule.register(handler),
    server: {
      consumer: consumerDeclaration(Consumer.WelcomeEmail),
      kafka: config.kafka,
      inbox: { pool: inboxPool, schema: config.inboxSchema },
      health: config.health,
    },
    // After the drain: in-flight records may still need these.
    release: async () => {
      transport.close();
      await inboxPool.end();
    },
  });
  logger.log(`consuming as ${Consumer.WelcomeEmail}; SMTP ${config.smtp.host}:${config.smtp.port}; health on ${config.health.host}:${config.health.port}`);
}

main().catch((error: unknown) => {
  // ConfigError's message already lists every problem; anything else gets its stack.
  console.error(error instanceof Error && error.name === 'ConfigError' ? error.message : error);
  process.exit(1);
});
