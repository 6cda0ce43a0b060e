import { createInterface } from 'node:readline/promises';
import { UsageError } from '../errors';
import type { Output } from '../output';

export type Intent = 'dry-run' | 'execute' | 'ask';

export interface MutationFlags {
  dryRun?: boolean;
  execute?: boolean;
}

/**
 * Mutating commands change nothing unless told to: `--execute`, or a person at a terminal who
 * confirms after seeing the dry run (`ask`). Anything else (a script without --execute) stops
 * with a usage error before any work is done.
 */
export function mutationIntent(flags: MutationFlags, out: Output, what: string): Intent {
  if (flags.dryRun && flags.execute) throw new UsageError('--dry-run and --execute exclude each other');
  if (flags.dryRun) return 'dry-run';
  if (flags.execute) return 'execute';
  if (interactive(out)) return 'ask';
  throw new UsageError(`${what} changes the cluster: pass --dry-run to see what it would do or --execute to do it`);
}

export function interactive(out: Output): boolean {
  return !out.json && Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
}

/** Asks on the terminal; true only if the answer is exactly `expected`. */
export async function confirmOnTerminal(question: string, expected: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} Type ${JSON.stringify(expected)} to go ahead: `);
    return answer.trim() === expected;
  } finally {
    prompt.close();
  }
}

export class NotConfirmedError extends UsageError {
  constructor() {
    super('not confirmed; nothing was changed');
  }
}
