import { Command, CommanderError } from 'commander';
import { ConfigError, Env } from '@platform/config';
import type { Kafka } from 'kafkajs';
import type { OpsCatalog } from './catalog';
import { OpsConfig, readOpsConfig } from './config';
import { OpsError } from './errors';
import { createKafka } from './kafka-client';
import type { OpsContext } from './ops-context';
import { ExitCode, createOutput } from './output';
import { buildProgram } from './program';

/**
 * Runs one command line and sets process.exitCode. SIGINT/SIGTERM abort the context's signal:
 * long commands finish what is in flight, keep their progress and stop; a second one exits at once.
 */
export async function runOps(argv: readonly string[], catalog: OpsCatalog, env: Env): Promise<void> {
  const program = new Command('ops');
  const out = createOutput(() => Boolean(program.opts().json));
  const interrupt = new AbortController();
  let config: OpsConfig | undefined;
  let kafka: Kafka | undefined;
  // Read lazily so `--help` works without any configuration, but once per run.
  const getConfig = (): OpsConfig => (config ??= readOpsConfig(env));
  const ctx: OpsContext = {
    config: getConfig,
    catalog,
    out,
    kafka: () => (kafka ??= createKafka(getConfig().kafka)),
    operator: () => (program.opts().operator as string | undefined) ?? getConfig().operator,
    interrupted: interrupt.signal,
    now: Date.now,
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) process.exit(ExitCode.Interrupted);
    out.note(`${signal}: finishing what is in flight and saving progress (again to quit at once)`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `ops dlt show … | head` closes the pipe early; that is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Ok);
  });
  try {
    await buildProgram(ctx, program).parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; everything else commander refuses is a usage error.
      if (error.exitCode !== 0) process.exitCode = ExitCode.Usage;
    } else if (error instanceof OpsError) out.fail(error.exitCode, error.message);
    else if (error instanceof ConfigError) out.fail(ExitCode.Usage, error.message);
    else out.fail(ExitCode.Failure, error instanceof Error ? error.message : String(error));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
