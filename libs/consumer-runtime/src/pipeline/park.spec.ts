import { DeadLetterHeader } from '@platform/contracts';
import { FailureForwardError } from '../errors/runtime-errors';
import { PIPELINE_ACCOUNT, PIPELINE_SOURCE, fakeNext, fakePipelineDeps, pipelineEvent, pipelineJob, pipelineRoutes } from '../test/fixtures';
import { parkMiddleware } from './park';

// The park step alone, over parked_keys in memory: which records wait behind an earlier one of
// their key, where they go, and which rows they release.

const NOW = Date.parse('2026-12-08T01:00:00.000Z');
const row = (offset: string) => ({ groupId: 'g', sourceTopic: PIPELINE_SOURCE, key: PIPELINE_ACCOUNT, partition: 0, offset });

async function setup(parkedOffsets: string[] = []) {
  const fake = fakePipelineDeps({ now: () => NOW });
  for (const offset of parkedOffsets) await fake.parked.park(row(offset));
  return { ...fake, step: parkMiddleware(fake.deps) };
}

/** A record first read from the source at `originOffset`, now read from `stage`. */
function record(stage: number, originOffset: string) {
  const job = pipelineJob({ stage, offset: stage === 0 ? originOffset : '0', originOffset });
  job.envelope = pipelineEvent;
  return job;
}

describe('the park step', () => {
  it('runs a record without a key, which has no order to keep', async () => {
    const { step, forwarder } = await setup(['3']);
    const job = pipelineJob({ key: null });
    const next = fakeNext();
    expect(await step(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(job.inTransaction).toEqual([]);
    expect(forwarder.sent).toEqual([]);
  });

  it('runs a source record whose key has nothing in the retry topics', async () => {
    const { step } = await setup();
    const job = record(0, '10');
    const next = fakeNext();
    expect(await step(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(job.inTransaction).toEqual([]);
  });

  it('parks a source record behind an earlier one of its key: a row, then a copy on retry topic 1 naming what it waits behind', async () => {
    const { step, forwarder, parked } = await setup(['3']);
    const next = fakeNext();
    const destination = pipelineRoutes.retryTopic(PIPELINE_SOURCE, 1);
    expect(await step(record(0, '10'), next)).toEqual({ kind: 'parked', destination });
    expect(next).not.toHaveBeenCalled();
    expect(parked.rows).toEqual([row('3'), { ...row('10'), eventId: pipelineEvent.id }]);
    expect(forwarder.sent.map((s) => s.destination)).toEqual([destination]);
    expect(forwarder.sent[0].headers).toMatchObject({
      [DeadLetterHeader.ParkedBehind]: '0:3',
      [DeadLetterHeader.RetryNotBefore]: new Date(NOW + 300).toISOString(),
      [DeadLetterHeader.OriginalOffset]: '10',
      [DeadLetterHeader.Attempts]: '0',
    });
    // It did not fail: no reason to report.
    expect(forwarder.sent[0].headers[DeadLetterHeader.ErrorCode]).toBeUndefined();
  });

  it('runs the head of its key from a retry topic, releasing its row in the inbox transaction', async () => {
    const { step, parked, forwarder } = await setup(['10', '11']);
    const job = record(1, '10');
    const next = fakeNext();
    expect(await step(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(forwarder.sent).toEqual([]);
    expect(parked.rows).toHaveLength(2);
    expect(job.inTransaction).toHaveLength(1);
    await job.inTransaction[0](undefined as never);
    expect(parked.rows).toEqual([row('11')]);
  });

  it('moves a follower whose head is still ahead on to the next retry topic, behind it', async () => {
    const { step, forwarder } = await setup(['10', '11']);
    const next = fakeNext();
    const destination = pipelineRoutes.retryTopic(PIPELINE_SOURCE, 2);
    expect(await step(record(1, '11'), next)).toEqual({ kind: 'parked', destination });
    expect(next).not.toHaveBeenCalled();
    expect(forwarder.sent[0].headers).toMatchObject({ [DeadLetterHeader.ParkedBehind]: '0:10', [DeadLetterHeader.RetryNotBefore]: new Date(NOW + 600).toISOString() });
  });

  it('drops stale rows ahead of a follower at the last stage instead of blocking its key for ever', async () => {
    const { step, parked, logger, forwarder } = await setup(['3', '5', '11']);
    const job = record(2, '11');
    const next = fakeNext();
    expect(await step(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(forwarder.sent).toEqual([]);
    expect(parked.rows).toEqual([row('11')]);
    expect(logger.lines).toContainEqual({ level: 'warn', msg: 'released a parked event whose predecessors left stale parked_keys rows', fields: expect.objectContaining({ droppedRows: 2 }) });
    await job.inTransaction[0](undefined as never);
    expect(parked.rows).toEqual([]);
  });

  it('runs a retry record whose key has no rows left, with nothing to release', async () => {
    const { step } = await setup();
    const job = record(1, '10');
    expect(await step(job, fakeNext())).toEqual({ kind: 'processed' });
    expect(job.inTransaction).toEqual([]);
  });

  it('lets a refused retry-topic write through, with the row kept for the redelivery to park under', async () => {
    const { step, forwarder, parked } = await setup(['3']);
    forwarder.refuse = true;
    await expect(step(record(0, '10'), fakeNext())).rejects.toBeInstanceOf(FailureForwardError);
    expect(parked.rows.map((r) => r.offset)).toEqual(['3', '10']);
  });
});
