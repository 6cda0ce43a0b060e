import type { MessageHandler } from '@nestjs/microservices';
import { EventType } from '@platform/contracts';
import { EventRouter } from '../routing/event-router';
import { PIPELINE_ACCOUNT, PIPELINE_SOURCE, accountActivated, fakeNext, fakePipelineDeps, pipelineEvent, pipelineJob } from '../test/fixtures';
import { routeMiddleware } from './route';

// The route step alone: the fake deps handle account.created and nothing else.

function activatedJob(options: { stage?: number; key?: string | null } = {}) {
  const job = pipelineJob({ ...options, originOffset: '4' });
  job.envelope = accountActivated(PIPELINE_ACCOUNT);
  return job;
}

const parkedRow = { groupId: 'g', sourceTopic: PIPELINE_SOURCE, key: PIPELINE_ACCOUNT, partition: 0, offset: '4' };

describe('the route step', () => {
  it("puts the event type's handler on the job and runs the rest of the chain", async () => {
    const { deps } = fakePipelineDeps();
    const job = pipelineJob();
    job.envelope = pipelineEvent;
    const next = fakeNext();
    expect(await routeMiddleware(deps)(job, next)).toEqual({ kind: 'processed' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(job.handler).toBe(deps.router.handlerFor(EventType.AccountCreated));
  });

  it('skips a known type this app has no handler for, leaving parked rows alone on a source topic', async () => {
    const { deps, parked } = fakePipelineDeps();
    await parked.park(parkedRow);
    const next = fakeNext();
    expect(await routeMiddleware(deps)(activatedJob(), next)).toEqual({ kind: 'ignored', reason: 'no-handler' });
    expect(next).not.toHaveBeenCalled();
    expect(parked.rows).toHaveLength(1);
  });

  it('releases the parked row of a retry record whose handler was removed since it was parked', async () => {
    const { deps, parked } = fakePipelineDeps();
    await parked.park(parkedRow);
    await parked.park({ ...parkedRow, offset: '9' });
    expect(await routeMiddleware(deps)(activatedJob({ stage: 1 }), fakeNext())).toEqual({ kind: 'ignored', reason: 'no-handler' });
    expect(parked.rows.map((r) => r.offset)).toEqual(['9']);
  });

  it('releases nothing for a retry record without a key, which was never parked', async () => {
    const { deps, parked } = fakePipelineDeps();
    await parked.park(parkedRow);
    expect(await routeMiddleware(deps)(activatedJob({ stage: 1, key: null }), fakeNext())).toEqual({ kind: 'ignored', reason: 'no-handler' });
    expect(parked.rows).toHaveLength(1);
  });

  it('skips a type whose only handler is a request/response @MessagePattern', async () => {
    const { deps } = fakePipelineDeps();
    const pattern: MessageHandler = Object.assign(async () => undefined, { isEventHandler: false });
    const router = new EventRouter(new Map([[EventType.AccountCreated, pattern]]));
    const job = pipelineJob();
    job.envelope = pipelineEvent;
    const next = fakeNext();
    expect(await routeMiddleware({ ...deps, router })(job, next)).toEqual({ kind: 'ignored', reason: 'no-handler' });
    expect(next).not.toHaveBeenCalled();
  });
});
