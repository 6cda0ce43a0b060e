/** Exit codes automation can rely on. */
export const ExitCode = {
  Ok: 0,
  /** The command failed; for a replay, its progress so far is kept and a rerun resumes. */
  Failure: 1,
  /** Wrong or missing arguments, including a mutating command without --execute or --dry-run. */
  Usage: 2,
  /** The command ran but refused part of its work: the loop guard held back records. */
  Refused: 3,
  /** Stopped by SIGINT/SIGTERM after finishing what was in flight; a rerun resumes. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every command prints through this, so `--json` gives one machine-readable document per run. */
export interface Output {
  readonly json: boolean;
  /** The run's result; `exitCode` (default Ok) becomes the process's exit code. */
  result(data: unknown, human: () => string, exitCode?: ExitCode): void;
  fail(code: ExitCode, message: string): void;
  /** A note for the person at the terminal (stderr); never part of the JSON document. */
  note(text: string): void;
  /** Where a progress bar may draw, or undefined when nobody is watching (not a TTY, or --json). */
  progressStream(): NodeJS.WriteStream | undefined;
}

export function createOutput(
  json: () => boolean,
  write: (text: string) => void = (t) => process.stdout.write(t),
  writeError: (text: string) => void = (t) => process.stderr.write(t),
): Output {
  return {
    get json() {
      return json();
    },
    result(data, human, exitCode = ExitCode.Ok) {
      write(json() ? `${JSON.stringify(data)}\n` : `${human()}\n`);
      if (exitCode !== ExitCode.Ok) process.exitCode = exitCode;
    },
    fail(code, message) {
      if (json()) write(`${JSON.stringify({ error: message, exitCode: code })}\n`);
      else writeError(`error: ${message}\n`);
      process.exitCode = code;
    },
    note(text) {
      if (!json()) writeError(`${text}\n`);
    },
    progressStream() {
      return !json() && process.stderr.isTTY ? process.stderr : undefined;
    },
  };
}
