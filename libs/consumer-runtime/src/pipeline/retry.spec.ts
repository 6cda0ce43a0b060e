import { PermanentError, RetriableError } from '@platform/contracts';
import { RetriesExhaustedError, ShutdownInterruptedError } from '../errors/runtime-errors';
import { expectNextCallAfter, fakeNext, fakePipelineDeps, pipelineJob } from '../test/fixtures';
import { retryMiddleware } from './retry';

// The retry step alone, on fake timers and a fixed jitter: with half of each ceiling drawn, the
// backoffs of a 100 ms base are 50 ms, then 100 ms.

function setup() {
  const fake = fakePipelineDeps({ retryPolicy: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 } });
  return { ...fake, step: retryMiddleware(fake.deps) };
}

const failWith = (error: unknown) => () => Promise.reject(error);

describe('the retry step', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs the record once when it succeeds, counting the attempt on from earlier hops', async () => {
    const { step, fired } = setup();
    const job = pipelineJob({ stage: 1 });
    job.attemptsBefore = 3;
    const next = fakeNext();
    expect(await step(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(job.attempts).toBe(4);
    expect(fired).toEqual([]);
  });

  it('tries a retriable failure again after its backoff, heartbeating while it waits', async () => {
    const { step, fired } = setup();
    const job = pipelineJob();
    const next = fakeNext((call) => (call === 1 ? Promise.reject(new RetriableError('deadlock', 'DB_DEADLOCK')) : { kind: 'processed' }));
    const outcome = step(job, next);
    await expectNextCallAfter(next, 2, 50);
    expect(await outcome).toEqual({ kind: 'processed' });
    expect(job.attempts).toBe(2);
    expect(job.heartbeats).toBe(1);
    expect(fired.map((f) => [f.hook, f.info.attempt, f.info.reason, f.info.errorCode])).toEqual([
      ['onFailed', 1, undefined, 'DB_DEADLOCK'],
      ['onRetried', 1, 'in-process', 'DB_DEADLOCK'],
    ]);
  });

  it('hands exhaustion on as RetriesExhaustedError carrying the last failure, after backing off 50 then 100 ms', async () => {
    const { step, fired, logger } = setup();
    const job = pipelineJob();
    const errors = [new RetriableError('one'), new RetriableError('two'), new RetriableError('three', 'SMTP_DOWN')];
    const next = fakeNext((call) => Promise.reject(errors[call - 1]));
    const outcome = step(job, next).then(() => undefined, (e: unknown) => e);
    await expectNextCallAfter(next, 2, 50);
    await expectNextCallAfter(next, 3, 100);
    const error = await outcome;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).lastError).toBe(errors[2]);
    expect(next).toHaveBeenCalledTimes(3);
    expect(job.attempts).toBe(3);
    expect(fired.map((f) => f.hook)).toEqual(['onFailed', 'onRetried', 'onFailed', 'onRetried', 'onFailed']);
    expect(logger.lines.filter((l) => l.msg === 'handler attempt failed')).toHaveLength(3);
  });

  it('passes a permanent failure on at once, without another attempt or a wait', async () => {
    const { step, fired } = setup();
    const job = pipelineJob();
    const error = new PermanentError('account is gone');
    const next = fakeNext(failWith(error));
    await expect(step(job, next)).rejects.toBe(error);
    expect(next).toHaveBeenCalledTimes(1);
    expect(job.heartbeats).toBe(0);
    expect(fired.map((f) => f.hook)).toEqual(['onFailed']);
  });

  it('counts a failure from the fast lane as attempt one, without running the handler for it again', async () => {
    const { step, fired } = setup();
    const job = pipelineJob();
    job.laneFailure = { error: new RetriableError('blip') };
    const next = fakeNext();
    const outcome = step(job, next);
    await expectNextCallAfter(next, 1, 50);
    expect(await outcome).toEqual({ kind: 'processed' });
    expect(job.attempts).toBe(2);
    expect(job.laneFailure).toBeUndefined();
    expect(fired[0]).toMatchObject({ hook: 'onFailed', info: { attempt: 1 } });
  });

  it('passes a permanent failure from the fast lane on without running the handler', async () => {
    const { step } = setup();
    const job = pipelineJob();
    const error = new PermanentError('no');
    job.laneFailure = { error };
    const next = fakeNext();
    await expect(step(job, next)).rejects.toBe(error);
    expect(next).not.toHaveBeenCalled();
  });

  it('does not count a retriable failure after shutdown began against the record', async () => {
    const { step, shutdown } = setup();
    const next = fakeNext(() => {
      shutdown.abort();
      return Promise.reject(new RetriableError('down'));
    });
    await expect(step(pipelineJob(), next)).rejects.toBeInstanceOf(ShutdownInterruptedError);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('gives the backoff up when shutdown begins during it', async () => {
    const { step, shutdown } = setup();
    const next = fakeNext(failWith(new RetriableError('down')));
    const outcome = step(pipelineJob(), next).then(() => undefined, (e: unknown) => e);
    await jest.advanceTimersByTimeAsync(20);
    shutdown.abort();
    expect(await outcome).toBeInstanceOf(ShutdownInterruptedError);
    expect(next).toHaveBeenCalledTimes(1);
  });
});
