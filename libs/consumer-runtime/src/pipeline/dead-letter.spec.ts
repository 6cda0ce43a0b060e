import { DeadLetterHeader, EventSchemaError, PermanentError, RetriableError } from '@platform/contracts';
import { FailureForwardError, RetriesExhaustedError, RetryNotBeforeInvalidError, ShutdownInterruptedError } from '../errors/runtime-errors';
import type { OrderingMode } from '../ordering/ordering-mode';
import { CountingJob, PIPELINE_ACCOUNT, expectNextCallAfter, PIPELINE_SOURCE, fakeNext, fakePipelineDeps, pipelineEvent, pipelineJob, pipelineRoutes } from '../test/fixtures';
import { DEAD_LETTER_RETRY_DELAY_MS, deadLetterMiddleware } from './dead-letter';
import { type Outcome, isSettled } from './record-job';

// The dead-letter step alone, over the real FailureForwarder writing to a recording producer:
// where each failure goes, with which headers, and what a refused write leaves behind.

const NOW = Date.parse('2026-12-08T01:00:00.000Z');
const DLT = pipelineRoutes.deadLetterTopic(PIPELINE_SOURCE);
const RETRY_1 = pipelineRoutes.retryTopic(PIPELINE_SOURCE, 1);

function setup(ordering: OrderingMode = 'park') {
  const fake = fakePipelineDeps({ now: () => NOW, ordering });
  const step = deadLetterMiddleware(fake.deps);
  return { ...fake, step };
}

/** A `next` whose handler attempts, `perDelivery` of them, all fail with `error`. */
function failingAttempts(job: CountingJob, error: unknown, perDelivery = 3) {
  return fakeNext(() => {
    job.attempts = job.attemptsBefore + perDelivery;
    throw new RetriesExhaustedError(error);
  });
}

const parkedRow = (offset = '10') => ({ groupId: 'g', sourceTopic: PIPELINE_SOURCE, key: PIPELINE_ACCOUNT, partition: 0, offset });

describe('the dead-letter step', () => {
  it('passes an outcome on untouched and forwards nothing', async () => {
    const { step, forwarder } = setup();
    const next = fakeNext(() => ({ kind: 'ignored', reason: 'no-handler' }));
    expect(await step(pipelineJob(), next)).toEqual({ kind: 'ignored', reason: 'no-handler' });
    expect(forwarder.sent).toEqual([]);
  });

  it('writes a permanent failure to the dead-letter topic at once, with the reason and the origin in its headers', async () => {
    const { step, forwarder, parked } = setup();
    await parked.park(parkedRow());
    const job = pipelineJob();
    job.attempts = 1;
    const error = new PermanentError('account is gone', 'ACCOUNT_GONE');
    const outcome = await step(job, fakeNext(() => Promise.reject(error)));
    expect(outcome).toEqual({ kind: 'dead-lettered', destination: DLT, error });
    expect(isSettled(outcome)).toBe(true);
    expect(forwarder.sent).toHaveLength(1);
    const [dead] = forwarder.sent;
    expect(dead.destination).toBe(DLT);
    expect(dead.key?.toString()).toBe(PIPELINE_ACCOUNT);
    expect(dead.headers).toMatchObject({
      [DeadLetterHeader.ErrorCode]: 'ACCOUNT_GONE',
      [DeadLetterHeader.ErrorClass]: 'PermanentError',
      [DeadLetterHeader.ErrorMessage]: 'account is gone',
      [DeadLetterHeader.OriginalTopic]: PIPELINE_SOURCE,
      [DeadLetterHeader.OriginalPartition]: '0',
      [DeadLetterHeader.OriginalOffset]: '10',
      [DeadLetterHeader.ConsumerGroup]: 'g',
      [DeadLetterHeader.Attempts]: '1',
      [DeadLetterHeader.FirstFailureTime]: new Date(NOW).toISOString(),
    });
    expect(dead.headers[DeadLetterHeader.RetryNotBefore]).toBeUndefined();
    // Acknowledged, so the key it held up is free.
    expect(parked.rows).toEqual([]);
  });

  it('dead-letters a record that failed before any handler ran as one attempt', async () => {
    const { step, forwarder } = setup();
    const error = new EventSchemaError('data/accountId must match format "uuid"', ['data/accountId']);
    await step(pipelineJob(), fakeNext(() => Promise.reject(error)));
    expect(forwarder.sent[0].headers).toMatchObject({ [DeadLetterHeader.ErrorCode]: 'EVENT_SCHEMA_INVALID', [DeadLetterHeader.Attempts]: '1' });
  });

  it('dead-letters a retry record with a bad not-before under the origin its headers name', async () => {
    const { step, forwarder } = setup();
    const origin = { [DeadLetterHeader.OriginalTopic]: PIPELINE_SOURCE, [DeadLetterHeader.OriginalPartition]: '0', [DeadLetterHeader.OriginalOffset]: '7', [DeadLetterHeader.OriginalTimestamp]: '0' };
    const job = pipelineJob({ stage: 1, offset: '3', originOffset: '7', headers: { ...origin, [DeadLetterHeader.RetryNotBefore]: 'garbage' } });
    const outcome = await step(job, fakeNext(() => Promise.reject(new RetryNotBeforeInvalidError('garbage', 'unparsable', 300))));
    expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: DLT });
    expect(forwarder.sent[0].headers).toMatchObject({ ...origin, [DeadLetterHeader.ErrorCode]: 'RETRY_NOT_BEFORE_INVALID', [DeadLetterHeader.ErrorClass]: 'RetryNotBeforeInvalidError' });
    expect(forwarder.sent[0].headers[DeadLetterHeader.ErrorMessage]).toContain('"garbage" is unparsable');
    // The bad value is not carried on.
    expect(forwarder.sent[0].headers[DeadLetterHeader.RetryNotBefore]).toBeUndefined();
  });

  it("sends a record whose in-process retries are exhausted to the next retry topic, due after that topic's delay, and parks its key first", async () => {
    const { step, forwarder, parked } = setup();
    const job = pipelineJob();
    job.envelope = pipelineEvent;
    const error = new RetriableError('smtp down', 'SMTP_DOWN');
    const outcome = await step(job, failingAttempts(job, error));
    expect(outcome).toMatchObject({ kind: 'retried', destination: RETRY_1 });
    expect(forwarder.sent.map((s) => s.destination)).toEqual([RETRY_1]);
    expect(forwarder.sent[0].headers).toMatchObject({
      [DeadLetterHeader.RetryNotBefore]: new Date(NOW + 300).toISOString(),
      [DeadLetterHeader.ErrorCode]: 'SMTP_DOWN',
      [DeadLetterHeader.Attempts]: '3',
    });
    expect(parked.rows).toEqual([{ ...parkedRow(), eventId: pipelineEvent.id }]);
  });

  it('parks nothing for a record without a key', async () => {
    const { step, forwarder, parked } = setup();
    const job = pipelineJob({ key: null });
    expect(await step(job, failingAttempts(job, new RetriableError('down')))).toMatchObject({ kind: 'retried', destination: RETRY_1 });
    expect(forwarder.sent).toHaveLength(1);
    expect(parked.rows).toEqual([]);
  });

  it('dead-letters a record exhausted on the last retry topic, with the attempts of every hop', async () => {
    const { step, forwarder } = setup();
    const job = pipelineJob({ stage: 2 });
    job.attemptsBefore = 6;
    const outcome = await step(job, failingAttempts(job, new RetriableError('still down', 'STILL_DOWN')));
    expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: DLT });
    expect(forwarder.sent[0].headers).toMatchObject({ [DeadLetterHeader.ErrorCode]: 'STILL_DOWN', [DeadLetterHeader.Attempts]: '9' });
  });

  it.each([
    ['a retriable error of its own', new RetriableError('parked_keys query failed')],
    ['a shutdown', new ShutdownInterruptedError()],
  ])('rethrows %s so the record is redelivered, forwarding nothing', async (_what, error) => {
    const { step, forwarder } = setup();
    await expect(step(pipelineJob(), fakeNext(() => Promise.reject(error)))).rejects.toBe(error);
    expect(forwarder.sent).toEqual([]);
  });

  it('rethrows a refused retry-topic write, leaving the parked row, which the redelivery parks under again', async () => {
    const { step, forwarder, parked } = setup();
    forwarder.refuse = true;
    const job = pipelineJob();
    await expect(step(job, failingAttempts(job, new RetriableError('down')))).rejects.toBeInstanceOf(FailureForwardError);
    expect(parked.rows).toHaveLength(1);
    expect(job.paused).toBe(0);
  });

  describe('when the dead-letter write is refused', () => {
    it('pauses the partition, resumes it after DEAD_LETTER_RETRY_DELAY_MS and leaves the record unsettled', async () => {
      const { step, forwarder, parked, scheduled, fired, logger } = setup();
      await parked.park(parkedRow());
      forwarder.refuse = true;
      const job = pipelineJob();
      const outcome = await step(job, fakeNext(() => Promise.reject(new PermanentError('no'))));
      expect(outcome).toEqual<Outcome>({ kind: 'deferred', dueAt: NOW + DEAD_LETTER_RETRY_DELAY_MS });
      expect(isSettled(outcome)).toBe(false);
      expect(job.paused).toBe(1);
      expect(scheduled.map((s) => s.ms)).toEqual([DEAD_LETTER_RETRY_DELAY_MS]);
      scheduled[0].fn();
      expect(job.resumed).toBe(1);
      expect(fired).toEqual([{ hook: 'onDeadLetterFailed', info: expect.objectContaining({ destination: DLT, errorCode: 'FAILURE_FORWARD_FAILED' }) }]);
      expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'dead-letter write failed; partition paused, the record will be tried again' }));
      // Not stored anywhere yet: the key stays held up behind it.
      expect(parked.rows).toHaveLength(1);
      expect(forwarder.sent).toEqual([]);
    });

    it('rethrows anything but a refused write, without pausing', async () => {
      const { step, forwarder, scheduled } = setup();
      forwarder.failWith = new Error('header too large');
      const job = pipelineJob();
      await expect(step(job, fakeNext(() => Promise.reject(new PermanentError('no'))))).rejects.toThrow('header too large');
      expect(job.paused).toBe(0);
      expect(scheduled).toEqual([]);
    });
  });

  describe("in 'strict-in-place' mode", () => {
    beforeEach(() => jest.useFakeTimers({ now: NOW }));
    afterEach(() => jest.useRealTimers());

    it("waits each retry topic's delay out in place, heartbeating, and runs the record again", async () => {
      const { step, forwarder, fired } = setup('strict-in-place');
      const job = pipelineJob();
      const next = fakeNext((call) => {
        if (call === 1) {
          job.attempts = 3;
          throw new RetriesExhaustedError(new RetriableError('blip'));
        }
        return { kind: 'processed' };
      });
      const outcome = step(job, next);
      await expectNextCallAfter(next, 2, 300);
      expect(await outcome).toEqual({ kind: 'processed' });
      expect(job.heartbeats).toBeGreaterThanOrEqual(1);
      // The next round's attempts count on from this one's.
      expect(job.attemptsBefore).toBe(3);
      expect(fired).toEqual([{ hook: 'onRetried', info: expect.objectContaining({ reason: 'in-place', attempt: 3 }) }]);
      expect(forwarder.sent).toEqual([]);
    });

    it('dead-letters the record after the last in-place round, never writing to a retry topic', async () => {
      const { step, forwarder } = setup('strict-in-place');
      const job = pipelineJob();
      const outcome = step(job, failingAttempts(job, new RetriableError('down', 'DOWN')));
      await jest.advanceTimersByTimeAsync(300 + 600);
      expect(await outcome).toMatchObject({ kind: 'dead-lettered', destination: DLT });
      expect(forwarder.sent.map((s) => [s.destination, s.headers[DeadLetterHeader.Attempts]])).toEqual([[DLT, '9']]);
    });

    it('gives the wait up on shutdown, forwarding nothing', async () => {
      const { step, forwarder, shutdown } = setup('strict-in-place');
      const job = pipelineJob();
      const outcome = step(job, failingAttempts(job, new RetriableError('down')));
      const settled = expect(outcome).rejects.toBeInstanceOf(ShutdownInterruptedError);
      await jest.advanceTimersByTimeAsync(100);
      shutdown.abort();
      await settled;
      expect(forwarder.sent).toEqual([]);
    });
  });
});
