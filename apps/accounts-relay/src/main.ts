import './telemetry';
import { Pool } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { ConfigError, kafkaConnection, pgTimeoutOptions } from '@platform/config';
import { errorCode } from '@platform/contracts';
import { HealthServer, createJsonLogger, logIdleConnectionErrors, shutdownTelemetry } from '@platform/observability';
import { OutboxRelay, observeOutboxBacklog, observeRelayStatus, readBacklog } from '@platform/outbox';
import { RelayConfig, loadRelayConfig } from './config';
import { relayHealth } from './relay-health';

/** Past this a stop is stuck (a send hanging on a dying broker); exit non-zero rather than hang the rollout. */
const SHUTDOWN_TIMEOUT_MS = 25_000;
const SERVICE = 'accounts-relay';

// Until the configuration is read (and says LOG_LEVEL), at info: its own errors must be seen.
let logger = createJsonLogger({ service: SERVICE });

function configOrExit(): RelayConfig {
  try {
    return loadRelayConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Fail fast with every problem named: a relay on a wrong database must not start at all.
    logger.error('invalid configuration', { code: 'CONFIG_INVALID', problems: error.problems });
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  logger = createJsonLogger({ service: SERVICE, level: config.log.level });

  // For the backlog gauges only; the relay itself works on one dedicated session of its own.
  const pool = new Pool({ connectionString: config.database.url, max: Math.min(config.database.poolSize, 2), ...pgTimeoutOptions(config.database) });
  logIdleConnectionErrors(pool, 'relay pool', (m) => logger.warn(m));
  // kafkajs would log every retry of an outage; the relay logs each state change once instead.
  const kafka = new Kafka({ clientId: config.kafka.clientId, ...kafkaConnection(config.kafka), logLevel: logLevel.NOTHING, connectionTimeout: 3_000 });
  const relay = new OutboxRelay({
    connectionString: config.database.url,
    schema: config.schema,
    kafka,
    batchSize: config.batchSize,
    pollIntervalMs: config.pollIntervalMs,
    logger,
  });
  // Read at each scrape; a backlog that cannot be read is left out rather than reported stale.
  observeOutboxBacklog(config.schema, () => readBacklog(pool, config.schema));
  observeRelayStatus(config.schema, () => relay.status());

  const health = new HealthServer(relayHealth(() => relay.status()));
  const { port } = await health.start(config.health.host, config.health.port);
  logger.info('health server listening', { host: config.health.host, port });

  const running = relay.run();
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: finishing the batch in flight', { signal });
    setTimeout(() => {
      logger.error('shutdown timed out', { code: 'SHUTDOWN_TIMEOUT', timeoutMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await relay.stop();
    await health.stop();
    await pool.end();
    await shutdownTelemetry();
    logger.info('shut down cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));

  await running;
}

main().catch((error) => {
  logger.error('relay failed', { code: errorCode(error), error });
  process.exit(1);
});
