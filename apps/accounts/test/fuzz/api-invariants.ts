import { PROBLEM_JSON } from '../../src/problem-details/http-problems';
import { findLeak } from './leak-patterns';
import type { RawResponse } from './raw-http';
import { StateSnapshot, changedTables } from './state-snapshot';
import type { FuzzRequest } from './api-requests';

const PROBLEM_FIELDS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']);

export interface Observation {
  readonly request: FuzzRequest;
  readonly response: RawResponse;
  readonly before: { state: StateSnapshot; idempotencyKeys: string };
  readonly after: { state: StateSnapshot; idempotencyKeys: string };
  /** What the service logged while it handled the request. */
  readonly logLines: readonly string[];
  readonly secrets: readonly string[];
}

/**
 * Every promise the API makes about a request it refuses, checked on one request. Returns the
 * broken ones, so a failure names all of them at once.
 */
export function violations(observation: Observation): string[] {
  const { request, response, before, after, logLines, secrets } = observation;
  const broken: string[] = [];
  if (response.status >= 500) broken.push(`answered ${response.status}`);
  if (response.status >= 400) broken.push(...problemViolations(response, request.method === 'HEAD'));
  if (response.status < 200 || response.status >= 300) {
    const changed = changedTables(before.state, after.state);
    if (changed.length > 0) broken.push(`answered ${response.status} but changed ${changed.join(', ')}`);
    // A refusal may be stored under its key, so the retry gets the same refusal: that is the contract.
    const hasKey = request.headers.some(([name]) => name.toLowerCase() === 'idempotency-key');
    if (!hasKey && before.idempotencyKeys !== after.idempotencyKeys) broken.push(`answered ${response.status} without an Idempotency-Key but changed idempotency_keys`);
  }
  const responseLeak = findLeak(`${response.head}\r\n\r\n${response.body}`, secrets);
  if (responseLeak) broken.push(`response leaks ${responseLeak}`);
  for (const line of logLines) {
    const logLeak = findLeak(line, secrets);
    if (logLeak) broken.push(`log line leaks ${logLeak}`);
  }
  return broken;
}

function problemViolations(response: RawResponse, head: boolean): string[] {
  const type = response.headers['content-type'] ?? '';
  if (!type.startsWith(PROBLEM_JSON)) return [`error ${response.status} has content-type ${JSON.stringify(type)}, not ${PROBLEM_JSON}`];
  if (head) return [];
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return [`error ${response.status} body is not JSON: ${JSON.stringify(response.body.slice(0, 200))}`];
  }
  const broken: string[] = [];
  for (const field of ['type', 'title', 'detail', 'instance', 'code']) {
    if (typeof document[field] !== 'string') broken.push(`problem document lacks string "${field}"`);
  }
  if (document.status !== response.status) broken.push(`problem status ${String(document.status)} differs from HTTP ${response.status}`);
  if (typeof document.code === 'string' && !/^[A-Z][A-Z0-9_]*$/.test(document.code)) broken.push(`problem code ${JSON.stringify(document.code)} is not UPPER_SNAKE`);
  const extra = Object.keys(document).filter((key) => !PROBLEM_FIELDS.has(key));
  if (extra.length > 0) broken.push(`problem document has undocumented fields ${extra.join(', ')}`);
  if (document.errors !== undefined) {
    const ok = Array.isArray(document.errors) && document.errors.length > 0 && document.errors.every((e) => typeof e?.pointer === 'string' && typeof e?.detail === 'string' && Object.keys(e).length === 2);
    if (!ok) broken.push('problem "errors" is not a non-empty list of {pointer, detail}');
  }
  return broken;
}
