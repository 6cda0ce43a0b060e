import './telemetry';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { pgTimeoutOptions } from '@platform/config';
import { EventPublisher, runConsumerApp } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { NestJsonLogger, createJsonLogger, logIdleConnectionErrors } from '@platform/observability';
import { Pool } from 'pg';
import { AbuseScanModule } from './abuse-scan.module';
import { readAbuseScanConfig } from './config';
import { loadDisposableDomains } from './rules/disposable-domains';
import { buildRules } from './rules/rule-set';
import { SignupScorer } from './rules/signup-scorer';
import { loadPolicy } from './rules/verdict-policy';
import { SignupScanHandler } from './scan/signup-scan.handler';

const SERVICE = 'abuse-scan';

async function main(): Promise<void> {
  // The only place this app reads the environment.
  const config = readAbuseScanConfig(process.env);
  const log = createJsonLogger({ service: SERVICE, level: config.log.level });
  Logger.overrideLogger(new NestJsonLogger(log));
  const logger = new Logger(SERVICE);
  // Policy and domain list are loaded and validated before anything connects: a bad file stops
  // the start with the file name and every problem in it.
  const policy = loadPolicy(config.policyFile);
  const domains = loadDisposableDomains(policy.rules['disposable-email-domain'].extraDomains, policy.rules['disposable-email-domain'].allowedDomains);
  const scorer = new SignupScorer(buildRules(policy, domains), policy);

  const inboxPool = new Pool({ connectionString: config.database.url, max: config.database.poolSize, ...pgTimeoutOptions(config.database) });
  logIdleConnectionErrors(inboxPool, 'inbox pool', (m) => logger.warn(m));
  const publisher = await EventPublisher.connect(config.kafka, `${config.kafka.clientId}-verdicts`, log.child({ context: 'verdict-publisher' }));
  const handler = new SignupScanHandler(scorer, publisher);

  await runConsumerApp({
    module: AbuseScanModule.register(handler),
    logger: log,
    server: {
      consumer: consumerDeclaration(Consumer.AbuseScan),
      kafka: config.kafka,
      inbox: { pool: inboxPool, schema: config.inboxSchema, ...config.inboxRetention },
      health: config.health,
    },
    // After the drain: in-flight records may still need these.
    release: async () => {
      await publisher.disconnect();
      await inboxPool.end();
    },
  });
  logger.log(`consuming as ${Consumer.AbuseScan}; policy ${policy.version} from ${config.policyFile}; ${domains.size} disposable domains; health on ${config.health.host}:${config.health.port}`);
}

main().catch((error: unknown) => {
  // ConfigError's problems and PolicyError's message name what is wrong; anything else gets its stack.
  const plain = error instanceof Error && ['ConfigError', 'PolicyError'].includes(error.name);
  const problems = (error as { problems?: unknown }).problems;
  createJsonLogger({ service: SERVICE }).error('failed to start', { error, ...(problems ? { problems } : plain ? {} : { stack: (error as Error)?.stack }) });
  process.exit(1);
});
