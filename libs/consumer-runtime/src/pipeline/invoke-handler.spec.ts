import { EventType } from '@platform/contracts';
import { KafkaEventContext } from '../server/event-context';
import { fakePipelineDeps, pipelineEvent, pipelineJob } from '../test/fixtures';
import { HANDLER_HEARTBEAT_MS, eventContextFor, invokeHandler } from './invoke-handler';

// The end of the chain alone: what the handler is given, and the heartbeats while it runs.

/** A handler that runs until `finish` is called; `fail` makes it throw instead. */
function setup() {
  let finish!: (error?: Error) => void;
  const running = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  const fake = fakePipelineDeps({ behaviour: () => running });
  const job = pipelineJob({ stage: 1, offset: '42' });
  job.envelope = pipelineEvent;
  job.handler = fake.deps.router.handlerFor(EventType.AccountCreated);
  job.attempts = 5;
  return { ...fake, job, finish, step: invokeHandler(fake.deps) };
}

describe('the handler step', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("hands the handler the event and the record's context, and reports it processed", async () => {
    const { deps, step, job, finish, calls } = setup();
    const invoke = jest.spyOn(deps, 'invoke');
    const outcome = step(job);
    finish();
    expect(await outcome).toEqual({ kind: 'processed' });
    expect(invoke).toHaveBeenCalledWith(job.handler, pipelineEvent, expect.any(KafkaEventContext));
    expect(calls).toEqual([{ topic: job.route.topic, partition: 0, offset: '42', attempt: 5, groupId: 'g', headers: job.headers }]);
  });

  it('heartbeats every second while the handler runs, and stops when it returns', async () => {
    const { step, job, finish } = setup();
    const outcome = step(job);
    await jest.advanceTimersByTimeAsync(HANDLER_HEARTBEAT_MS - 1);
    expect(job.heartbeats).toBe(0);
    await jest.advanceTimersByTimeAsync(1 + 2 * HANDLER_HEARTBEAT_MS);
    expect(job.heartbeats).toBe(3);
    finish();
    await outcome;
    await jest.advanceTimersByTimeAsync(5 * HANDLER_HEARTBEAT_MS);
    expect(job.heartbeats).toBe(3);
  });

  it("lets the handler's error through and stops heartbeating", async () => {
    const { step, job, finish } = setup();
    const outcome = step(job).then(() => undefined, (e: unknown) => e);
    await jest.advanceTimersByTimeAsync(HANDLER_HEARTBEAT_MS);
    finish(new Error('smtp down'));
    expect(await outcome).toEqual(new Error('smtp down'));
    await jest.advanceTimersByTimeAsync(5 * HANDLER_HEARTBEAT_MS);
    expect(job.heartbeats).toBe(1);
  });

  it('keeps the handler running when a heartbeat fails: the batch loop acts on a rebalance', async () => {
    const { step, job, finish } = setup();
    const failing = { ...job, heartbeat: jest.fn(async () => Promise.reject(new Error('rebalance in progress'))) };
    const outcome = step(failing);
    await jest.advanceTimersByTimeAsync(2 * HANDLER_HEARTBEAT_MS);
    expect(failing.heartbeat).toHaveBeenCalledTimes(2);
    finish();
    expect(await outcome).toEqual({ kind: 'processed' });
  });
});

describe('eventContextFor', () => {
  it('takes the attempt from the job and freezes the headers it hands out', () => {
    const job = pipelineJob({ offset: '7' });
    job.attempts = 2;
    const context = eventContextFor(job, 'g');
    expect(context).toMatchObject({ topic: job.route.topic, partition: 0, offset: '7', attempt: 2, groupId: 'g' });
    expect(Object.isFrozen(context.headers)).toBe(true);
    expect(context.headers).toEqual(job.headers);
  });
});
