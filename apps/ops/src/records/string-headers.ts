import type { IHeaders } from 'kafkajs';
import { headerString } from '@platform/contracts';

/** Headers as strings; of a repeated header the first value wins, as in contracts' headerString. */
export function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers ?? {})) {
    const value = headerString(headers, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
