import { createEnvelope, DeadLetterHeader, EventType, encodeEnvelope, PermanentError, RetriableError } from '@platform/contracts';
import type { OrderingMode } from '../ordering/ordering-mode';
import type { EventContext } from '../server/event-context';
import { PIPELINE_ACCOUNT as ACCOUNT, PIPELINE_SOURCE as SOURCE, fakePipelineDeps, pipelineEvent as event, pipelineJob as job, pipelineRoutes as routes } from '../test/fixtures';
import { buildPipeline } from './build-pipeline';
import { Outcome, RecordJob, isSettled } from './record-job';
import { DEAD_LETTER_RETRY_DELAY_MS } from './dead-letter';
import { RETRY_NOT_BEFORE_MARGIN_MS } from './due';

// The whole middleware chain, as the server builds it, over in-memory fakes of its stores.

function setup(behaviour: (event: unknown, ctx: EventContext) => Promise<void> | void, ordering: OrderingMode = 'park') {
  const fake = fakePipelineDeps({ behaviour, ordering });
  return { ...fake, step: buildPipeline(fake.deps) };
}

describe('the record pipeline', () => {
  it('processes a valid event and records it in the inbox', async () => {
    const { step, inbox, calls } = setup(() => undefined);
    expect(await step(job())).toEqual<Outcome>({ kind: 'processed' });
    expect(inbox.claimed.has(event.id)).toBe(true);
    expect(calls[0]).toMatchObject({ topic: SOURCE, partition: 0, offset: '10', attempt: 1, groupId: 'g' });
  });

  it('dead-letters bytes that are not an event without calling a handler', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    const outcome = await step(job({ value: Buffer.from('{not json') }));
    expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: routes.deadLetterTopic(SOURCE) });
    expect(calls).toHaveLength(0);
    expect(forwarder.sent).toHaveLength(1);
  });

  it('dead-letters a well-formed event whose type the contracts catalog does not know', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    for (const type of ['account.renamed.v9', 'account.created.v9', '']) {
      const outcome = await step(job({ headers: { ce_type: type } }));
      expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: routes.deadLetterTopic(SOURCE) });
      // An empty ce_type is a missing header; anything else is an unknown type.
      expect((outcome as { error: { code: string } }).error.code).toBe(type === '' ? 'EVENT_HEADER_MISSING' : 'EVENT_TYPE_UNKNOWN');
    }
    expect(forwarder.sent).toHaveLength(3);
    expect(calls).toHaveLength(0);
  });

  it('skips, without dead-lettering, a known type this app has no handler for', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    const updated = encodeEnvelope(createEnvelope({ type: EventType.AccountActivated, source: 'test', subject: ACCOUNT, data: { accountId: ACCOUNT, activatedAt: new Date().toISOString() } }));
    expect(await step(job({ headers: updated.headers, value: updated.value }))).toEqual<Outcome>({ kind: 'ignored', reason: 'no-handler' });
    expect(forwarder.sent).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it('dead-letters a record carrying a CloudEvents header twice with different values, and processes identical copies', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    const encoded = encodeEnvelope(event);
    const conflicting = job();
    (conflicting.message as { headers: unknown }).headers = { ...encoded.headers, ce_type: [EventType.AccountCreated, 'account.closed.v1'] };
    const outcome = await step(conflicting);
    expect(outcome).toMatchObject({ kind: 'dead-lettered' });
    expect((outcome as { error: { code: string } }).error.code).toBe('EVENT_HEADER_CONFLICT');
    const identical = job({ offset: '11' });
    (identical.message as { headers: unknown }).headers = { ...encoded.headers, ce_id: [event.id, Buffer.from(event.id)] };
    expect(await step(identical)).toEqual<Outcome>({ kind: 'processed' });
    expect(forwarder.sent).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('dead-letters data that fails its schema', async () => {
    const { step } = setup(() => undefined);
    const outcome = await step(job({ value: Buffer.from(JSON.stringify({ accountId: 'nope' })) }));
    expect(outcome).toMatchObject({ kind: 'dead-lettered' });
    expect((outcome as { error: Error }).error.name).toBe('EventSchemaError');
  });

  it('sends a record whose retries are exhausted to the next retry topic and parks its key', async () => {
    const { step, forwarder, parked, calls } = setup(() => {
      throw new RetriableError('down');
    });
    const outcome = await step(job());
    expect(outcome).toMatchObject({ kind: 'retried', destination: routes.retryTopic(SOURCE, 1) });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(forwarder.sent[0].options.retryNotBefore).toBeInstanceOf(Date);
    expect(parked.rows).toEqual([expect.objectContaining({ key: ACCOUNT, offset: '10' })]);
  });

  it('counts attempts on from the previous hops', async () => {
    const { step, calls } = setup(() => {
      throw new PermanentError('no');
    });
    // The batch loop reads x-attempts into attemptsBefore; a permanent failure is not retried.
    expect(await step(withAttempts(job({ stage: 2 }), 6))).toMatchObject({ kind: 'dead-lettered' });
    expect(calls.map((c) => c.attempt)).toEqual([7]);
  });

  it('parks a later record of a key that has an event in the retry topics, and releases it in order', async () => {
    const { step, parked, forwarder, calls } = setup(() => undefined);
    await parked.park({ groupId: 'g', sourceTopic: SOURCE, key: ACCOUNT, partition: 0, offset: '10' });

    const later = await step(job({ offset: '11' }));
    expect(later).toEqual<Outcome>({ kind: 'parked', destination: routes.retryTopic(SOURCE, 1) });
    expect(forwarder.sent[0].options.parkedBehind).toBe('0:10');
    expect(calls).toHaveLength(0);

    // From retry topic 1, still behind the head: moved on behind it, to retry topic 2.
    expect(await step(job({ stage: 1, offset: '0', originOffset: '11' }))).toMatchObject({ kind: 'parked', destination: routes.retryTopic(SOURCE, 2) });

    // The head is processed from retry topic 2 and releases its row in its inbox transaction...
    expect(await step(job({ stage: 2, offset: '0', originOffset: '10' }))).toEqual<Outcome>({ kind: 'processed' });
    expect(parked.rows.map((r) => r.offset)).toEqual(['11']);
  });

  it('releases a follower at the last stage even if a stale row of its key is left', async () => {
    const { step, parked } = setup(() => undefined);
    await parked.park({ groupId: 'g', sourceTopic: SOURCE, key: ACCOUNT, partition: 0, offset: '3' });
    await parked.park({ groupId: 'g', sourceTopic: SOURCE, key: ACCOUNT, partition: 0, offset: '10' });
    expect(await step(job({ stage: 2, offset: '5', originOffset: '10' }))).toEqual<Outcome>({ kind: 'processed' });
    expect(parked.rows).toEqual([]);
  });

  it('leaves a record unacknowledged when its dead-letter write fails', async () => {
    const { step, forwarder } = setup(() => {
      throw new PermanentError('no');
    });
    forwarder.failWith = new Error('broker unavailable');
    await expect(step(job())).rejects.toThrow('broker unavailable');
  });

  it('gives up a record caught in a backoff when the server shuts down, without forwarding it', async () => {
    const { step, shutdown, forwarder } = setup(() => {
      shutdown.abort();
      throw new RetriableError('down');
    });
    expect(await step(job())).toEqual<Outcome>({ kind: 'interrupted' });
    expect(forwarder.sent).toHaveLength(0);
  });

  it('does not spend the last attempt on a retry topic when it fails after shutdown began', async () => {
    // A handler that was waiting (e.g. on a circuit breaker) and is let go by the shutdown.
    const { step, shutdown, forwarder, calls } = setup((_event, ctx) => {
      if (ctx.attempt === 3) shutdown.abort();
      throw new RetriableError('down');
    });
    expect(await step(job())).toEqual<Outcome>({ kind: 'interrupted' });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(forwarder.sent).toHaveLength(0);
  });

  it('defers a retry record that is not due yet by pausing its partition', async () => {
    const { step, scheduled, calls } = setup(() => undefined);
    const notDue = job({ stage: 1, headers: { [DeadLetterHeader.RetryNotBefore]: new Date(Date.now() + 5_000).toISOString() } });
    const outcome = await step(notDue);
    expect(outcome.kind).toBe('deferred');
    expect(notDue.paused).toBe(1);
    expect(scheduled[0].ms).toBeGreaterThan(4_000);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['a day ahead', () => new Date(Date.now() + 86_400_000).toISOString()],
    ['past what a Date can hold', () => '9000000000000000'],
    ['not a time', () => 'garbage'],
  ])('dead-letters a retry record whose not-before is %s, without pausing', async (_what, notBefore) => {
    const { step, forwarder, calls, scheduled } = setup(() => undefined);
    const record = job({ stage: 1, headers: { [DeadLetterHeader.RetryNotBefore]: notBefore() } });
    const outcome = await step(record);
    expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: routes.deadLetterTopic(SOURCE), error: { code: 'RETRY_NOT_BEFORE_INVALID' } });
    expect(forwarder.sent.map((s) => s.destination)).toEqual([routes.deadLetterTopic(SOURCE)]);
    expect(record.paused).toBe(0);
    expect(scheduled).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it('waits for a not-before within the retry delay plus the margin', async () => {
    const { step, forwarder } = setup(() => undefined);
    const record = job({ stage: 1, headers: { [DeadLetterHeader.RetryNotBefore]: new Date(Date.now() + 300 + RETRY_NOT_BEFORE_MARGIN_MS - 1_000).toISOString() } });
    expect((await step(record)).kind).toBe('deferred');
    expect(forwarder.sent).toHaveLength(0);
  });

  it('pauses the partition and leaves the record unsettled when the dead-letter write is not acknowledged', async () => {
    const { step, forwarder, scheduled } = setup(() => {
      throw new PermanentError('no');
    });
    forwarder.refuse = true;
    const record = job();
    const outcome = await step(record);
    expect(outcome.kind).toBe('deferred');
    expect(isSettled(outcome)).toBe(false);
    expect(record.paused).toBe(1);
    expect(scheduled.map((s) => s.ms)).toEqual([DEAD_LETTER_RETRY_DELAY_MS]);
  });

  it("in 'strict-in-place' mode, waits the retry delays out in place and never forwards to a retry topic", async () => {
    let failures = 0;
    const { step, forwarder, calls } = setup(() => {
      if (failures++ < 3) throw new RetriableError('blip');
    }, 'strict-in-place');
    const started = Date.now();
    expect(await step(job())).toEqual<Outcome>({ kind: 'processed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    expect(forwarder.sent).toHaveLength(0);
  });
});

function withAttempts<T extends RecordJob>(j: T, before: number): T {
  j.attemptsBefore = before;
  j.attempts = before;
  return j;
}
