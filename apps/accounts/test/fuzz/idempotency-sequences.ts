import fc from 'fast-check';
import { hostileJson } from '@platform/testing';
import type { TestApp } from '../test-app';
import { REPLAYED_HEADER } from '../../src/idempotency/stored-response';
import { FuzzRequest, validSignup } from './api-requests';
import { violations } from './api-invariants';
import { RawResponse, sendRaw } from './raw-http';
import type { RecordingLogger } from './recording-logger';
import { snapshotState } from './state-snapshot';

/** Which body a retry sends: the first one, the first one with its keys reordered, or another. */
type Step = 'same' | 'reordered' | 'other' | 'invalid' | 'hostile';

export interface IdempotencySequence {
  readonly key: string;
  readonly quoted: boolean;
  readonly steps: readonly Step[];
  /** The first two requests race, as a client that times out and retries at once would make them. */
  readonly concurrentStart: boolean;
  readonly signup: Record<string, unknown>;
  readonly other: Record<string, unknown>;
  readonly hostile: unknown;
}

export function idempotencySequence(): fc.Arbitrary<IdempotencySequence> {
  return fc.record({
    // Printable ASCII, quotes and backslashes included: what the key parser must unquote.
    key: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 200 }),
    quoted: fc.boolean(),
    steps: fc.array(fc.constantFrom<Step>('same', 'same', 'reordered', 'other', 'invalid', 'hostile'), { minLength: 1, maxLength: 5 }),
    concurrentStart: fc.boolean(),
    signup: validSignup(),
    other: validSignup(),
    hostile: hostileJson(3),
  });
}

/** Sends the sequence under one key; returns every broken promise, checked per response and over the whole. */
export async function runIdempotencySequence(app: TestApp, logger: RecordingLogger, sequence: IdempotencySequence, runId: string): Promise<string[]> {
  // The run id keeps cases apart: keys are per client, and every case uses the same client.
  const key = `${runId}:${sequence.key}`.slice(0, 255);
  const header = sequence.quoted ? `"${key.replace(/(["\\])/g, '\\$1')}"` : key;
  // Surrounding spaces are trimmed by the server, so a bare key that has them names another key; fine, as long as it is the same every time.
  const bodyOf = (step: Step): unknown => {
    switch (step) {
      case 'same':
        return sequence.signup;
      case 'reordered':
        return Object.fromEntries(Object.entries(sequence.signup).reverse());
      case 'other':
        return sequence.other;
      case 'invalid':
        return { email: sequence.signup.email };
      case 'hostile':
        return sequence.hostile;
    }
  };
  const fingerprintOf = (step: Step) => (step === 'reordered' ? 'same' : step);
  const toRequest = (step: Step): FuzzRequest => ({
    family: `idempotency:${step}`,
    method: 'POST',
    target: '/v1/accounts',
    headers: [
      ['Authorization', `Bearer ${app.apiKey}`],
      ['Content-Type', 'application/json'],
      ['Idempotency-Key', header],
    ],
    body: Buffer.from(JSON.stringify(bodyOf(step)) ?? 'null'),
  });

  const broken: string[] = [];
  const start = await snapshotState(app.db);
  const firstAnswer = new Map<string, RawResponse>();
  const record = (step: Step, response: RawResponse) => {
    const fingerprint = fingerprintOf(step);
    // A 409 while the first request still holds the key is not an answer to remember.
    if (!firstAnswer.has(fingerprint) && !isInProgress(response)) firstAnswer.set(fingerprint, response);
  };

  let index = 0;
  if (sequence.concurrentStart && sequence.steps.length >= 2) {
    const mark = logger.lines.length;
    const pair = sequence.steps.slice(0, 2);
    const responses = await Promise.all(pair.map((step) => sendRaw(app.baseUrl, toRequest(step))));
    const now = await snapshotState(app.db);
    pair.forEach((step, i) => {
      // State is judged over the whole sequence below: two racing requests cannot be told apart.
      const found = violations({ request: toRequest(step), response: responses[i], before: now, after: now, logLines: logger.since(mark), secrets: [app.apiKey] });
      broken.push(...found.map((v) => `concurrent ${step}: ${v}`));
    });
    const inProgress = responses.filter(isInProgress).length;
    if (inProgress === 2) broken.push('both racing requests were told the key is in progress');
    if (fingerprintOf(pair[0]) === fingerprintOf(pair[1]) && inProgress === 0 && responses[0].status !== responses[1].status) {
      broken.push(`racing identical requests got ${responses[0].status} and ${responses[1].status}`);
    }
    pair.forEach((step, i) => record(step, responses[i]));
    index = 2;
  }

  for (const step of sequence.steps.slice(index)) {
    const request = toRequest(step);
    const mark = logger.lines.length;
    const before = await snapshotState(app.db);
    const response = await sendRaw(app.baseUrl, request);
    const after = await snapshotState(app.db);
    broken.push(...violations({ request, response, before, after, logLines: logger.since(mark), secrets: [app.apiKey] }).map((v) => `${step}: ${v}`));
    const first = firstAnswer.get(fingerprintOf(step));
    if (first) {
      if (response.status !== first.status) broken.push(`${step}: a retry got ${response.status}, the first answer was ${first.status}`);
      if (first.status === 201 && response.headers.location !== first.headers.location) broken.push(`${step}: a retry points at ${response.headers.location}, the first at ${first.headers.location}`);
      // Only what the handler answered is stored: a body the JSON parser refused never reached the key.
      if (first.status === 201 && response.headers[REPLAYED_HEADER.toLowerCase()] !== 'true') broken.push(`${step}: a retry is not marked ${REPLAYED_HEADER}`);
    }
    record(step, response);
  }

  const end = await snapshotState(app.db);
  const created = accountCount(end.state) - accountCount(start.state);
  if (created > 1) broken.push(`one key created ${created} accounts`);
  if (broken.length > 0) broken.unshift(`key ${JSON.stringify(header)}, steps ${sequence.steps.join(' → ')}${sequence.concurrentStart ? ' (first two racing)' : ''}`);
  return broken;
}

function isInProgress(response: RawResponse): boolean {
  return response.status === 409 && /IN_PROGRESS/.test(response.body);
}

function accountCount(state: Readonly<Record<string, string>>): number {
  return Number(state.accounts.split(':')[0]);
}
