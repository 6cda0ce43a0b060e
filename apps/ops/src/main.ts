import { Command } from 'commander';
import { ConfigError } from '@platform/config';
import { OpsConfig, readOpsConfig } from './config';
import { topicsApplyCommand } from './commands/topics/apply';
import { ExitCode, createOutput } from './output';

const program = new Command('ops').description('SRE tooling for the account lifecycle platform').option('--json', 'machine-readable output');
const out = createOutput(() => Boolean(program.opts().json));

let config: OpsConfig | undefined;
// Read lazily so `--help` works without any configuration, but once per run.
const getConfig = (): OpsConfig => (config ??= readOpsConfig(process.env));

program.addCommand(new Command('topics').description('topic declarations and the cluster').addCommand(topicsApplyCommand(getConfig, out)));

program.parseAsync(process.argv).catch((error: unknown) => {
  out.fail(error instanceof ConfigError ? ExitCode.Usage : ExitCode.Failure, error instanceof Error ? error.message : String(error));
});
