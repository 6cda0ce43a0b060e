import type { RelayLogger } from '@platform/outbox';

type Level = 'info' | 'warn' | 'error';

/**
 * One JSON object per line on stdout, for whatever collects container output. Errors are
 * reduced to their message and code; the relay never passes payloads, so none can leak here.
 */
export function createJsonLogger(service: string, write: (line: string) => void = (line) => process.stdout.write(line)): RelayLogger {
  const log = (level: Level) => (message: string, fields: Record<string, unknown> = {}) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, service, msg: message, ...plain(fields) })}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function plain(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[name] = value instanceof Error ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code } : value;
  }
  return out;
}
