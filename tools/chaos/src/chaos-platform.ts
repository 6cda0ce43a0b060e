import { join } from 'node:path';
import { ScratchServer, freshCluster, startScratchServer } from '@platform/testing';
import { ROOT } from '@platform/dev-stack';
import { log } from './chaos-log';
import type { ChaosOptions } from './chaos-options';
import { Platform } from './platform';

export interface ChaosPlatform {
  readonly platform: Platform;
  /** The run's own PostgreSQL server, when it has one (--postgres scratch). */
  readonly scratch?: ScratchServer;
}

/**
 * The platform the run drives, not started yet, on the PostgreSQL server --postgres names (a
 * scratch one is started here); Ctrl-C or a CI timeout takes it down before the process leaves.
 */
export async function preparePlatform(o: ChaosOptions): Promise<ChaosPlatform> {
  if (o.postgres !== 'local' && o.postgres !== 'scratch') throw new Error(`--postgres must be local or scratch, got ${o.postgres}`);
  let scratch: ScratchServer | undefined;
  if (o.postgres === 'scratch') {
    scratch = await startScratchServer(freshCluster, { max_connections: '300' });
    log(`PostgreSQL of this run's own on 127.0.0.1:${scratch.port} (${scratch.dataDir})`);
  }
  const platform = new Platform({
    pgServerUrl: scratch?.url ?? o.pgServerUrl,
    kafkaPort: o.kafkaPort,
    kafkaDataDir: o.kafkaDataDir,
    logDir: join(ROOT, '.local', 'chaos', 'logs'),
    basePort: 27_000 + Math.floor(Math.random() * 400) * 5,
    databasePrefix: 'chaos',
    extraEnv: { LOG_LEVEL: 'info', SMTP_BREAKER_PROBE_INTERVAL_MS: '1000' },
    log,
  });
  // Ctrl-C or a CI timeout: take the platform down (children, broker, databases) before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the platform`);
      void platform
        .stop(o.keepDatabases || scratch !== undefined)
        .then(() => scratch?.stop())
        .finally(() => process.exit(130));
    });
  }
  return { platform, scratch };
}

export async function startPlatform({ platform }: ChaosPlatform): Promise<void> {
  await platform.start(1_000_000);
  log(`platform ready (run ${platform.run}); logs in .local/chaos/logs`);
}

export async function stopPlatform({ platform, scratch }: ChaosPlatform, keepDatabases: boolean): Promise<void> {
  log('stopping the platform and dropping its databases');
  // A scratch server goes as a whole, databases and tenant roles with it.
  await platform.stop(keepDatabases || scratch !== undefined).catch((error) => log(`teardown: ${(error as Error).message}`));
  await scratch?.stop().catch((error) => log(`stopping the scratch PostgreSQL: ${(error as Error).message}`));
}
