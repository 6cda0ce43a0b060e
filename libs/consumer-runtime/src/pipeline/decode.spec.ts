import { CloudEventHeader, EventDecodeError, EventType, encodeEnvelope, isRetriable } from '@platform/contracts';
import { accountActivated, fakeNext, pipelineEvent, pipelineJob } from '../test/fixtures';
import { decodeMiddleware } from './decode';
import type { RecordJob } from './record-job';

// The decode step alone: what it hands on for good bytes, and the permanent error for bad ones.

async function decodeError(job: RecordJob): Promise<EventDecodeError> {
  const next = fakeNext();
  const error = await decodeMiddleware()(job, next).then(() => undefined, (e: unknown) => e);
  expect(next).not.toHaveBeenCalled();
  expect(error).toBeInstanceOf(EventDecodeError);
  expect(isRetriable(error)).toBe(false);
  return error as EventDecodeError;
}

describe('the decode step', () => {
  it('puts the envelope of a good record on the job and runs the rest of the chain', async () => {
    const job = pipelineJob();
    const next = fakeNext(() => ({ kind: 'ignored', reason: 'duplicate' }));
    expect(await decodeMiddleware()(job, next)).toEqual({ kind: 'ignored', reason: 'duplicate' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(job.envelope).toMatchObject({ id: pipelineEvent.id, type: EventType.AccountCreated, subject: pipelineEvent.subject, data: pipelineEvent.data });
  });

  it('decodes a known type whatever handlers the app has: whether to skip it is for the route step', async () => {
    const activated = encodeEnvelope(accountActivated(pipelineEvent.subject));
    const job = pipelineJob({ headers: activated.headers, value: activated.value });
    await decodeMiddleware()(job, fakeNext());
    expect(job.envelope?.type).toBe(EventType.AccountActivated);
  });

  it.each([
    ['bytes that are not JSON', { value: Buffer.from('{not json') }, 'EVENT_VALUE_NOT_JSON'],
    ['no value at all', { value: Buffer.alloc(0) }, 'EVENT_VALUE_EMPTY'],
    ['a type the contracts catalog does not know', { headers: { [CloudEventHeader.Type]: 'account.renamed.v9' } }, 'EVENT_TYPE_UNKNOWN'],
    ['an empty ce_type', { headers: { [CloudEventHeader.Type]: '' } }, 'EVENT_HEADER_MISSING'],
    ['a key that is not its subject', { key: 'someone-else' }, 'EVENT_KEY_SUBJECT_MISMATCH'],
  ])('refuses %s with a permanent decode error', async (_what, options, code) => {
    const job = pipelineJob(options);
    expect((await decodeError(job)).code).toBe(code);
    expect(job.envelope).toBeUndefined();
  });

  it('refuses a CloudEvents header sent twice with different values, reading the raw headers', async () => {
    const job = pipelineJob({ headers: { [CloudEventHeader.Type]: [EventType.AccountCreated, EventType.AccountClosed] } });
    expect((await decodeError(job)).code).toBe('EVENT_HEADER_CONFLICT');
  });

  it('takes identical copies of a header, as text or bytes', async () => {
    const job = pipelineJob({ headers: { [CloudEventHeader.Id]: [pipelineEvent.id, Buffer.from(pipelineEvent.id)] } });
    await decodeMiddleware()(job, fakeNext());
    expect(job.envelope?.id).toBe(pipelineEvent.id);
  });
});
