import { DeadLetterHeader, PermanentError, RetriableError, stringHeaders, TraceHeader } from '@platform/contracts';
import { RetriesExhaustedError } from '../errors/runtime-errors';
import { MAX_STACK_BYTES, buildFailureHeaders, originOf, priorAttempts, retryNotBeforeMs, truncateUtf8 } from './failure-headers';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const record = { topic: 'accounts.lifecycle.v1', partition: 2, offset: '41', timestamp: '1700000000000' };
const now = new Date('2025-01-02T03:04:05.000Z');

describe('buildFailureHeaders', () => {
  it('keeps the original headers and adds every dead-letter header for a first failure', () => {
    const error = new PermanentError('mailbox rejected', 'SMTP_REJECTED');
    const headers = stringHeaders(
      buildFailureHeaders({
        headers: { ce_id: Buffer.from('e-1'), [TraceHeader.TraceParent]: traceparent },
        record,
        fromSourceTopic: true,
        groupId: 'welcome-email',
        attempts: 1,
        now,
        error,
      }),
    );
    expect(headers).toMatchObject({
      ce_id: 'e-1',
      [TraceHeader.TraceParent]: traceparent,
      [DeadLetterHeader.ErrorClass]: 'PermanentError',
      [DeadLetterHeader.ErrorCode]: 'SMTP_REJECTED',
      [DeadLetterHeader.ErrorMessage]: 'mailbox rejected',
      [DeadLetterHeader.OriginalTopic]: 'accounts.lifecycle.v1',
      [DeadLetterHeader.OriginalPartition]: '2',
      [DeadLetterHeader.OriginalOffset]: '41',
      [DeadLetterHeader.OriginalTimestamp]: '1700000000000',
      [DeadLetterHeader.ConsumerGroup]: 'welcome-email',
      [DeadLetterHeader.Attempts]: '1',
      [DeadLetterHeader.FirstFailureTime]: now.toISOString(),
    });
    expect(headers[DeadLetterHeader.ErrorStack]).toContain('mailbox rejected');
    expect(headers[DeadLetterHeader.RetryNotBefore]).toBeUndefined();
  });

  it('preserves the origin and first failure time across retry hops and replaces the rest', () => {
    const firstHop = buildFailureHeaders({
      headers: { [TraceHeader.TraceParent]: traceparent },
      record,
      fromSourceTopic: true,
      groupId: 'g',
      attempts: 3,
      now,
      error: new RetriesExhaustedError(new RetriableError('timeout', 'SMTP_TIMEOUT')),
      retryNotBefore: new Date(now.getTime() + 5_000),
    });
    const later = new Date(now.getTime() + 60_000);
    const secondHop = stringHeaders(
      buildFailureHeaders({
        headers: firstHop,
        record: { topic: 'accounts.lifecycle.v1.g.retry.1', partition: 2, offset: '7', timestamp: '1700000005000' },
        fromSourceTopic: false,
        groupId: 'g',
        attempts: 6,
        now: later,
        error: new TypeError('boom'),
      }),
    );
    expect(secondHop).toMatchObject({
      [DeadLetterHeader.OriginalTopic]: 'accounts.lifecycle.v1',
      [DeadLetterHeader.OriginalOffset]: '41',
      [DeadLetterHeader.OriginalTimestamp]: '1700000000000',
      [DeadLetterHeader.FirstFailureTime]: now.toISOString(),
      [DeadLetterHeader.Attempts]: '6',
      [DeadLetterHeader.ErrorClass]: 'TypeError',
      [DeadLetterHeader.ErrorCode]: 'UNCLASSIFIED',
      [TraceHeader.TraceParent]: traceparent,
    });
    // Sent to the dead-letter topic: no longer "due" at any time.
    expect(secondHop[DeadLetterHeader.RetryNotBefore]).toBeUndefined();
  });

  it('reports the cause of exhausted retries, not the wrapper', () => {
    const headers = stringHeaders(
      buildFailureHeaders({ headers: {}, record, fromSourceTopic: true, groupId: 'g', attempts: 3, now, error: new RetriesExhaustedError(new RetriableError('db down', 'DB_DOWN')) }),
    );
    expect(headers[DeadLetterHeader.ErrorClass]).toBe('RetriableError');
    expect(headers[DeadLetterHeader.ErrorCode]).toBe('DB_DOWN');
    expect(retryNotBeforeMs({ [DeadLetterHeader.RetryNotBefore]: '2025-01-02T03:04:10.000Z' })).toBe(now.getTime() + 5_000);
  });

  it('marks a parked record without inventing an error', () => {
    const headers = stringHeaders(
      buildFailureHeaders({ headers: {}, record, fromSourceTopic: true, groupId: 'g', attempts: 0, now, retryNotBefore: now, parkedBehind: '2:40' }),
    );
    expect(headers[DeadLetterHeader.ParkedBehind]).toBe('2:40');
    expect(headers[DeadLetterHeader.ErrorClass]).toBeUndefined();
    expect(headers[DeadLetterHeader.FirstFailureTime]).toBeUndefined();
    expect(headers[DeadLetterHeader.Attempts]).toBe('0');
  });

  it('bounds the stack to 2 KB of UTF-8 without splitting characters', () => {
    const error = new Error('deep');
    error.stack = 'é'.repeat(5_000);
    const headers = stringHeaders(buildFailureHeaders({ headers: {}, record, fromSourceTopic: true, groupId: 'g', attempts: 1, now, error }));
    const stack = headers[DeadLetterHeader.ErrorStack];
    expect(Buffer.byteLength(stack, 'utf8')).toBeLessThanOrEqual(MAX_STACK_BYTES);
    expect(stack).toBe('é'.repeat(1_024));
    expect(truncateUtf8('abc', 2)).toBe('ab');
  });

  it('drops x-reprocess from a source-topic record but keeps it on a replayed retry record', () => {
    const headers = { [DeadLetterHeader.Reprocess]: 'run-1' };
    const fromSource = stringHeaders(buildFailureHeaders({ headers, record, fromSourceTopic: true, groupId: 'g', attempts: 1, now, error: new Error('x') }));
    expect(fromSource[DeadLetterHeader.Reprocess]).toBeUndefined();
    const fromRetry = stringHeaders(buildFailureHeaders({ headers, record, fromSourceTopic: false, groupId: 'g', attempts: 2, now, error: new Error('x') }));
    expect(fromRetry[DeadLetterHeader.Reprocess]).toBe('run-1');
  });

  it('treats a source-topic record as its own origin even if it carries stale origin headers', () => {
    const stale = { [DeadLetterHeader.OriginalTopic]: 'x', [DeadLetterHeader.OriginalPartition]: '9', [DeadLetterHeader.OriginalOffset]: '1', [DeadLetterHeader.Attempts]: '4' };
    expect(originOf(stale, record, true)).toEqual(record);
    expect(originOf(stale, record, false)).toMatchObject({ topic: 'x', partition: 9, offset: '1' });
    expect(priorAttempts(stale, true)).toBe(0);
    expect(priorAttempts(stale, false)).toBe(4);
  });
});
