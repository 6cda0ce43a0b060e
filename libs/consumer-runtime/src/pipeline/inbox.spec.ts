import { DeadLetterHeader, EventType, createEnvelope } from '@platform/contracts';
import { fakeNext, fakePipelineDeps, pipelineEvent, pipelineJob } from '../test/fixtures';
import { inboxClaimId, inboxMiddleware } from './inbox';

const envelope = createEnvelope({
  type: EventType.AccountClosed,
  source: 'test',
  subject: '7a1f3c52-95b6-4d8e-b7a5-0c1d2e3f4a5b',
  data: { accountId: '7a1f3c52-95b6-4d8e-b7a5-0c1d2e3f4a5b', closedAt: new Date().toISOString() },
});
const route = (stage: number) => ({ topic: 't', sourceTopic: 't', stage });

describe('inboxClaimId', () => {
  it('claims the event id', () => {
    expect(inboxClaimId({ envelope, route: route(1), headers: {} })).toBe(envelope.id);
  });

  it('claims the event id per replay run for a record ops topic replay put on a retry topic', () => {
    const headers = { [DeadLetterHeader.Reprocess]: 'run-1' };
    expect(inboxClaimId({ envelope, route: route(1), headers })).toBe(`${envelope.id}#reprocess:run-1`);
  });

  it('ignores the reprocess header on a source topic', () => {
    expect(inboxClaimId({ envelope, route: route(0), headers: { [DeadLetterHeader.Reprocess]: 'run-1' } })).toBe(envelope.id);
  });
});

describe('the inbox step', () => {
  function setup() {
    const fake = fakePipelineDeps();
    const job = pipelineJob({ stage: 1 });
    job.envelope = pipelineEvent;
    return { ...fake, job, step: inboxMiddleware(fake.deps) };
  }

  it('runs the rest of the chain inside the claim of the event id, with the statements queued for its transaction', async () => {
    const { step, job, inbox } = setup();
    const released: string[] = [];
    job.inTransaction.push(async () => {
      released.push('parked row');
    });
    const next = fakeNext(() => {
      expect(inbox.claimed.has(pipelineEvent.id)).toBe(false);
      return { kind: 'processed' };
    });
    expect(await step(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(inbox.claimed.has(pipelineEvent.id)).toBe(true);
    expect(released).toEqual(['parked row']);
  });

  it('skips an event whose id is claimed already as a duplicate, still running its queued statements', async () => {
    const { step, job, inbox } = setup();
    inbox.claimed.add(pipelineEvent.id);
    const released: string[] = [];
    job.inTransaction.push(async () => {
      released.push('parked row');
    });
    const next = fakeNext();
    expect(await step(job, next)).toEqual({ kind: 'ignored', reason: 'duplicate' });
    expect(next).not.toHaveBeenCalled();
    expect(released).toEqual(['parked row']);
  });

  it('claims a replayed record per replay run, so it runs once more', async () => {
    const { step, inbox } = setup();
    inbox.claimed.add(pipelineEvent.id);
    const replayed = pipelineJob({ stage: 1, headers: { [DeadLetterHeader.Reprocess]: 'run-1' } });
    replayed.envelope = pipelineEvent;
    const next = fakeNext();
    expect(await step(replayed, next)).toEqual({ kind: 'processed' });
    expect(inbox.claimed.has(`${pipelineEvent.id}#reprocess:run-1`)).toBe(true);
  });

  it('leaves no claim when the handler fails, so the next attempt runs', async () => {
    const { step, job, inbox } = setup();
    await expect(step(job, fakeNext(() => Promise.reject(new Error('smtp down'))))).rejects.toThrow('smtp down');
    expect(inbox.claimed.size).toBe(0);
  });
});
