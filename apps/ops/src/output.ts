/** Exit codes automation can rely on. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Refused: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every command prints through this, so `--json` gives one machine-readable document per run. */
export interface Output {
  result(data: unknown, human: () => string): void;
  fail(code: ExitCode, message: string): void;
}

export function createOutput(json: () => boolean, write: (text: string) => void = (t) => process.stdout.write(t), writeError: (text: string) => void = (t) => process.stderr.write(t)): Output {
  return {
    result(data, human) {
      write(json() ? `${JSON.stringify(data)}\n` : `${human()}\n`);
    },
    fail(code, message) {
      if (json()) write(`${JSON.stringify({ error: message, exitCode: code })}\n`);
      else writeError(`error: ${message}\n`);
      process.exitCode = code;
    },
  };
}
