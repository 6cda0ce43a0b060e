/**
 * What must never reach a client or a log line: a stack frame, a path into the code, a message
 * from the PostgreSQL driver or the ORM. Each of them tells an attacker about the schema or the
 * stack; none of them helps a client.
 */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\n\s+at /,
  / {4}at /,
  /node_modules/,
  /\/work\/|\/app\/|\/src\/[\w-]+\.ts/,
  /duplicate key value/i,
  /violates/i,
  /syntax error at/i,
  /invalid input syntax/i,
  /out of range/i,
  /QueryFailedError|TypeORMError|EntityNotFound/,
  /relation "[^"]+"/,
  /column "[^"]+"/,
];

/** The first leak found in `text`, or undefined. `secrets` are searched for literally. */
export function findLeak(text: string, secrets: readonly string[]): string | undefined {
  for (const secret of secrets) if (secret && text.includes(secret)) return `a secret (${secret.slice(0, 6)}…)`;
  for (const pattern of LEAK_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return `${pattern} near ${JSON.stringify(text.slice(Math.max(0, match.index - 80), match.index + 120))}`;
  }
  return undefined;
}
