import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@platform/testing';
import type { AppName } from '@platform/dev-stack';

/**
 * Reads what an app of the stack logged from now on: a spec waits for the line that says the app
 * did the thing (the circuit opened, a mail was withheld) instead of sleeping.
 */
export function logFromNow(logDir: string, app: AppName) {
  const file = join(logDir, `${app}.log`);
  const start = statSync(file).size;
  const since = () => readFileSync(file).subarray(start).toString('utf8');
  return {
    since,
    waitForLine(text: string, timeoutMs = 20_000): Promise<string> {
      return waitFor(() => since().split('\n').find((line) => line.includes(text)), { what: `"${text}" in ${file}`, timeoutMs });
    },
  };
}
