import { DeadLetterHeader, isRetriable } from '@platform/contracts';
import { RetryNotBeforeInvalidError } from '../errors/runtime-errors';
import { expectNextCallAfter, fakeNext, fakePipelineDeps, pipelineJob } from '../test/fixtures';
import { RETRY_NOT_BEFORE_MARGIN_MS, dueMiddleware, retryNotBeforeLimitMs } from './due';

// The due step alone over a fixed clock: what it waits for, how, and what it refuses to wait for.

const NOW = Date.parse('2026-12-08T01:00:00.000Z');

function setup() {
  return fakePipelineDeps({ now: () => NOW });
}

const notBefore = (value: string, stage = 1) => pipelineJob({ stage, headers: { [DeadLetterHeader.RetryNotBefore]: value } });
const at = (ms: number) => new Date(ms).toISOString();

describe('the due step', () => {
  it('lets a source-topic record through whatever its not-before says', async () => {
    const { deps } = setup();
    const next = fakeNext();
    expect(await dueMiddleware(deps)(notBefore('garbage', 0), next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('lets through at once a retry record without the header (a replay) or one already due', async () => {
    const { deps, scheduled } = setup();
    for (const job of [pipelineJob({ stage: 1 }), notBefore(at(NOW - 1)), notBefore(at(NOW)), notBefore(String(NOW - 60_000))]) {
      const next = fakeNext();
      expect(await dueMiddleware(deps)(job, next)).toEqual({ kind: 'processed' });
      expect(next).toHaveBeenCalledTimes(1);
      expect(job.paused).toBe(0);
    }
    expect(scheduled).toEqual([]);
  });

  it('pauses the partition of a record not due yet, resumes it by timer when due, and leaves it unsettled', async () => {
    const { deps, scheduled } = setup();
    const job = notBefore(at(NOW + 5_000));
    const next = fakeNext();
    expect(await dueMiddleware(deps)(job, next)).toEqual({ kind: 'deferred', dueAt: NOW + 5_000 });
    expect(next).not.toHaveBeenCalled();
    expect(job.paused).toBe(1);
    expect(scheduled.map((s) => s.ms)).toEqual([5_000]);
    expect(job.resumed).toBe(0);
    scheduled[0].fn();
    expect(job.resumed).toBe(1);
  });

  it('reads a not-before in epoch milliseconds as well as ISO 8601', async () => {
    const { deps } = setup();
    expect(await dueMiddleware(deps)(notBefore(String(NOW + 1_000)), fakeNext())).toEqual({ kind: 'deferred', dueAt: NOW + 1_000 });
  });

  describe('a record due within 200 ms', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('waits in line until its time instead of pausing, then runs it', async () => {
      const { deps, scheduled } = setup();
      const job = notBefore(at(NOW + 150));
      const next = fakeNext();
      const outcome = dueMiddleware(deps)(job, next);
      await expectNextCallAfter(next, 1, 150);
      expect(await outcome).toEqual({ kind: 'processed' });
      expect(job.paused).toBe(0);
      expect(scheduled).toEqual([]);
    });

    it('gives the record up unacknowledged when shutdown cuts the wait short', async () => {
      const { deps, shutdown } = setup();
      const next = fakeNext();
      const outcome = dueMiddleware(deps)(notBefore(at(NOW + 150)), next);
      await jest.advanceTimersByTimeAsync(50);
      shutdown.abort();
      expect(await outcome).toEqual({ kind: 'interrupted' });
      expect(next).not.toHaveBeenCalled();
    });
  });

  it("waits for a not-before up to the retry topic's own delay plus the margin, per stage", async () => {
    const { deps } = setup();
    expect(retryNotBeforeLimitMs(deps, 1)).toBe(300 + RETRY_NOT_BEFORE_MARGIN_MS);
    expect(retryNotBeforeLimitMs(deps, 2)).toBe(600 + RETRY_NOT_BEFORE_MARGIN_MS);
    const atTheLimit = notBefore(at(NOW + 600 + RETRY_NOT_BEFORE_MARGIN_MS), 2);
    expect(await dueMiddleware(deps)(atTheLimit, fakeNext())).toMatchObject({ kind: 'deferred' });
  });

  it.each([
    ['one millisecond past the limit of retry topic 1', at(NOW + 300 + RETRY_NOT_BEFORE_MARGIN_MS + 1), 'too far ahead'],
    ['a day ahead', at(NOW + 86_400_000), 'too far ahead'],
    ['past what a Date can hold', '9000000000000000', 'too far ahead'],
    ['not a time', 'garbage', 'unparsable'],
  ])('refuses a not-before %s with a permanent RETRY_NOT_BEFORE_INVALID, without pausing', async (_what, value, reason) => {
    const { deps, scheduled } = setup();
    const job = notBefore(value);
    const next = fakeNext();
    const error = await dueMiddleware(deps)(job, next).then(() => undefined, (e: unknown) => e as RetryNotBeforeInvalidError);
    expect(error).toBeInstanceOf(RetryNotBeforeInvalidError);
    expect(error).toMatchObject({ code: 'RETRY_NOT_BEFORE_INVALID' });
    expect(error!.message).toContain(reason);
    expect(error!.message).toContain(value);
    expect(isRetriable(error)).toBe(false);
    expect(next).not.toHaveBeenCalled();
    expect(job.paused).toBe(0);
    expect(scheduled).toEqual([]);
  });
});
