import { Command } from 'commander';
import { dltListCommand } from './commands/dlt/list';
import { dltPurgeCommand } from './commands/dlt/purge';
import { dltReplayCommand } from './commands/dlt/replay';
import { dltShowCommand } from './commands/dlt/show';
import { groupsCommand } from './commands/groups/groups';
import { topicReplayCommand } from './commands/topic/replay';
import { topicsApplyCommand } from './commands/topics/apply';
import type { OpsContext } from './ops-context';

export const EXIT_CODES_HELP = `
Exit codes: 0 ok; 1 failed (a replay keeps its progress: run it again to resume); 2 usage (bad
arguments, or a mutating command without --execute/--dry-run or confirmation); 3 part refused
(the loop guard held back records); 130 interrupted (progress kept: run it again to resume).
Configuration: KAFKA_BROKERS and KAFKA_CLIENT_ID as for the services; OPS_OPERATOR (default:
the OS user) names you in the audit log; OPS_MAX_REPLAYS (default 3) is the loop guard.`;

/** The command tree; `--json` and `--operator` are read through the context. */
export function buildProgram(ctx: OpsContext, program: Command): Command {
  program
    .description('SRE tooling for the account lifecycle platform')
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('--operator <name>', 'who you are, for the audit log (default: OPS_OPERATOR or the OS user)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError();
  program.addCommand(
    new Command('dlt')
      .description("dead-letter topics: inspect, replay to one consumer, purge")
      .addCommand(dltListCommand(ctx))
      .addCommand(dltShowCommand(ctx))
      .addCommand(dltReplayCommand(ctx))
      .addCommand(dltPurgeCommand(ctx)),
  );
  program.addCommand(new Command('topic').description("source topics: reprocess a range for one consumer").addCommand(topicReplayCommand(ctx)));
  program.addCommand(groupsCommand(ctx));
  program.addCommand(new Command('topics').description('topic declarations and the cluster').addCommand(topicsApplyCommand(ctx)));
  // Commander exits by itself on usage errors; with this, every exit goes through the CLI's codes.
  forEachCommand(program, (command) => command.exitOverride());
  return program;
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) forEachCommand(sub, visit);
}
