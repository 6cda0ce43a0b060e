import { EventSchemaError, isRetriable } from '@platform/contracts';
import { accountCreated, fakeNext, pipelineEvent, pipelineJob } from '../test/fixtures';
import { validateMiddleware } from './validate';

describe('the validate step', () => {
  it('runs the rest of the chain for data that fits its schema', async () => {
    const job = pipelineJob();
    job.envelope = pipelineEvent;
    const next = fakeNext();
    expect(await validateMiddleware()(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('lets through a field the schema does not name: a newer producer may add one', async () => {
    const job = pipelineJob();
    job.envelope = { ...pipelineEvent, data: { ...pipelineEvent.data, nickname: 'A' } as typeof pipelineEvent.data };
    expect(await validateMiddleware()(job, fakeNext())).toEqual({ kind: 'processed' });
  });

  it.each([
    ['a malformed account id', { accountId: 'nope' }, 'accountId'],
    ['a missing email', { email: undefined }, 'email'],
    ['a field of the wrong type', { displayName: 42 }, 'displayName'],
  ])('refuses data with %s with a permanent EventSchemaError naming it', async (_what, change, field) => {
    const event = accountCreated(pipelineEvent.subject);
    const job = pipelineJob({ event });
    job.envelope = { ...event, data: { ...event.data, ...change } as typeof event.data };
    const next = fakeNext();
    const error = await validateMiddleware()(job, next).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(EventSchemaError);
    expect(isRetriable(error)).toBe(false);
    expect((error as EventSchemaError).violations.join('\n')).toContain(field);
    expect(next).not.toHaveBeenCalled();
  });
});
