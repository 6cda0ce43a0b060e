import './telemetry';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { pgTimeoutOptions } from '@platform/config';
import { EventPublisher, runConsumerApp } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { NestJsonLogger, createJsonLogger, logIdleConnectionErrors } from '@platform/observability';
import { Pool } from 'pg';
import { readProvisioningConfig } from './config';
import { ProvisioningModule } from './provisioning.module';
import { provisioningSteps } from './steps/provisioning-steps';
import { StepRunner } from './steps/step-runner';
import { createTenantsPool, prepareTenantsDatabase, redactUrl } from './tenants/tenants-database';
import { DeprovisionWorkspaceHandler } from './workspace/deprovision-workspace.handler';
import { ProvisionWorkspaceHandler } from './workspace/provision-workspace.handler';

const SERVICE = 'provisioning';

async function main(): Promise<void> {
  // The only place this app reads the environment.
  const config = readProvisioningConfig(process.env);
  const log = createJsonLogger({ service: SERVICE, level: config.log.level });
  Logger.overrideLogger(new NestJsonLogger(log));
  const logger = new Logger(SERVICE);

  const tenantsPool = createTenantsPool(config.tenants);
  logIdleConnectionErrors(tenantsPool, 'tenants pool', (m) => logger.warn(m));
  // Fails fast, naming the database, when the tenants database is missing or unreachable.
  await prepareTenantsDatabase(tenantsPool, config.tenants.url).catch(async (error: unknown) => {
    await tenantsPool.end().catch(() => undefined);
    throw error;
  });
  const tenantsDb = { pool: tenantsPool, lockTimeoutMs: config.tenants.lockTimeoutMs };

  const inboxPool = new Pool({ connectionString: config.database.url, max: config.database.poolSize, ...pgTimeoutOptions(config.database) });
  logIdleConnectionErrors(inboxPool, 'inbox pool', (m) => logger.warn(m));
  const publisher = await EventPublisher.connect(config.kafka, `${config.kafka.clientId}-results`, log.child({ context: 'result-publisher' }));
  const runner = new StepRunner(provisioningSteps(tenantsDb), {
    compensated: (step, tenant) => logger.warn(`compensated ${step} for ${tenant.schema}`),
  });
  const handlers = {
    provision: new ProvisionWorkspaceHandler(runner, publisher),
    deprovision: new DeprovisionWorkspaceHandler(tenantsDb, config.deprovisionMode),
  };

  await runConsumerApp({
    module: ProvisioningModule.register(handlers),
    logger: log,
    server: {
      consumer: consumerDeclaration(Consumer.Provisioning),
      kafka: config.kafka,
      inbox: { pool: inboxPool, schema: config.inboxSchema, ...config.inboxRetention },
      health: config.health,
    },
    // After the drain: in-flight records may still need these.
    release: async () => {
      await publisher.disconnect();
      await Promise.all([inboxPool.end(), tenantsPool.end()]);
    },
  });
  logger.log(
    `consuming as ${Consumer.Provisioning}; tenants in ${redactUrl(config.tenants.url)}; deprovision mode ${config.deprovisionMode}; health on ${config.health.host}:${config.health.port}`,
  );
}

main().catch((error: unknown) => {
  // These errors' messages say what is wrong and what to do; anything else gets its stack.
  const plain = error instanceof Error && ['ConfigError', 'TenantsDatabaseUnavailableError'].includes(error.name);
  const problems = (error as { problems?: unknown }).problems;
  createJsonLogger({ service: SERVICE }).error('failed to start', { error, ...(problems ? { problems } : plain ? {} : { stack: (error as Error)?.stack }) });
  process.exit(1);
});
