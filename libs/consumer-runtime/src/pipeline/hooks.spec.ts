import { PermanentError, RetriableError } from '@platform/contracts';
import { RetriesExhaustedError } from '../errors/runtime-errors';
import { fakeNext, fakePipelineDeps, pipelineEvent, pipelineJob, pipelineRoutes, PIPELINE_SOURCE } from '../test/fixtures';
import { hooksMiddleware } from './hooks';
import type { Outcome } from './record-job';

// The outermost step alone: which hook and which log line each outcome gets, over a fixed clock.

const NOW = 1_000_000;
const RETRY_TOPIC = pipelineRoutes.retryTopic(PIPELINE_SOURCE, 1);
const DLT = pipelineRoutes.deadLetterTopic(PIPELINE_SOURCE);

function setup() {
  const fake = fakePipelineDeps({ now: () => NOW });
  const job = pipelineJob({ startedAt: NOW - 250 });
  job.attempts = 1;
  const run = (outcome: Outcome) => hooksMiddleware(fake.deps)(job, fakeNext(() => outcome));
  return { ...fake, job, run };
}

describe('the hooks step', () => {
  it('reports a processed record once, with its identifiers and how long it took', async () => {
    const { run, fired, logger } = setup();
    expect(await run({ kind: 'processed' })).toEqual({ kind: 'processed' });
    expect(fired).toEqual([
      {
        hook: 'onProcessed',
        info: { groupId: 'g', topic: PIPELINE_SOURCE, partition: 0, offset: '10', sourceTopic: PIPELINE_SOURCE, stage: 0, type: pipelineEvent.type, eventId: pipelineEvent.id, attempt: 1, durationMs: 250 },
      },
    ]);
    expect(logger.lines).toEqual([{ level: 'debug', msg: 'event processed', fields: expect.objectContaining({ eventId: pipelineEvent.id, durationMs: 250 }) }]);
  });

  it.each(['no-handler', 'duplicate'] as const)('reports a record skipped as %s', async (reason) => {
    const { run, fired } = setup();
    expect(await run({ kind: 'ignored', reason })).toEqual({ kind: 'ignored', reason });
    expect(fired.map((f) => [f.hook, f.info.reason])).toEqual([['onIgnored', reason]]);
  });

  it('reports a record sent to a retry topic with the error code of its last failure', async () => {
    const { run, fired, logger } = setup();
    const error = new RetriesExhaustedError(new RetriableError('down', 'DOWNSTREAM_DOWN'));
    await run({ kind: 'retried', destination: RETRY_TOPIC, error });
    expect(fired).toEqual([{ hook: 'onRetried', info: expect.objectContaining({ reason: 'retry-topic', destination: RETRY_TOPIC, errorCode: 'DOWNSTREAM_DOWN', errorClass: 'RetriableError' }) }]);
    expect(logger.lines).toEqual([{ level: 'warn', msg: 'event sent to retry topic', fields: expect.objectContaining({ destination: RETRY_TOPIC, errorCode: 'DOWNSTREAM_DOWN' }) }]);
  });

  it('reports a parked record as a retry for the reason "parked", without an error', async () => {
    const { run, fired } = setup();
    await run({ kind: 'parked', destination: RETRY_TOPIC });
    expect(fired).toEqual([{ hook: 'onRetried', info: expect.objectContaining({ reason: 'parked', destination: RETRY_TOPIC }) }]);
    expect(fired[0].info.errorCode).toBeUndefined();
  });

  it('reports a dead letter with its error and at least one attempt, even when no handler ran', async () => {
    const { run, fired, logger, job } = setup();
    job.attempts = 0;
    job.attemptsBefore = 3;
    await run({ kind: 'dead-lettered', destination: DLT, error: new PermanentError('bad', 'ACCOUNT_GONE') });
    expect(fired).toEqual([{ hook: 'onDeadLettered', info: expect.objectContaining({ attempt: 4, destination: DLT, errorCode: 'ACCOUNT_GONE', errorClass: 'PermanentError' }) }]);
    expect(logger.lines).toEqual([{ level: 'error', msg: 'event dead-lettered', fields: expect.objectContaining({ attempt: 4, destination: DLT, errorCode: 'ACCOUNT_GONE', error: 'bad' }) }]);
  });

  it.each([{ kind: 'deferred', dueAt: NOW + 5_000 }, { kind: 'interrupted' }] as Outcome[])('reports nothing for an unsettled outcome ($kind): the record comes back', async (outcome) => {
    const { run, fired, logger } = setup();
    expect(await run(outcome)).toEqual(outcome);
    expect(fired).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('returns the outcome when a hook throws, and logs the hook', async () => {
    const { deps, job, logger } = setup();
    const broken = { ...deps, hooks: { onProcessed: () => { throw new Error('exporter down'); } } };
    expect(await hooksMiddleware(broken)(job, fakeNext())).toEqual({ kind: 'processed' });
    expect(logger.lines.map((l) => [l.level, l.msg])).toContainEqual(['warn', 'runtime hook threw; ignored']);
  });

  it('reports nothing when the rest of the chain throws, and lets the error through', async () => {
    const { deps, job, fired } = setup();
    const next = fakeNext(() => {
      throw new Error('database down');
    });
    await expect(hooksMiddleware(deps)(job, next)).rejects.toThrow('database down');
    expect(fired).toEqual([]);
  });
});
