import { PeriodicPrune } from './periodic-prune';

describe('PeriodicPrune', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const logger = () => ({ info: jest.fn(), warn: jest.fn() });
  /** Lets the awaited prune and the code after it run. */
  const settle = async () => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };

  it('prunes at start and then every interval, with at most a tenth of it as jitter', async () => {
    const prune = jest.fn().mockResolvedValue(0);
    const job = new PeriodicPrune('inbox of g', prune, 60_000, logger(), () => 0.99);
    job.start();
    await settle();
    expect(prune).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(60_000);
    await settle();
    expect(prune).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(5_940);
    await settle();
    expect(prune).toHaveBeenCalledTimes(2);
    await job.stop();
  });

  it('logs what it removed, and a failure without giving up on the next pass', async () => {
    const log = logger();
    const prune = jest.fn().mockRejectedValueOnce(new Error('connection refused')).mockResolvedValueOnce(12);
    const job = new PeriodicPrune('inbox of g', prune, 1_000, log, () => 0);
    job.start();
    await settle();
    expect(log.warn).toHaveBeenCalledWith('inbox of g: pruning failed, next try in 1 s', { error: 'connection refused' });
    jest.advanceTimersByTime(1_000);
    await settle();
    expect(log.info).toHaveBeenCalledWith('inbox of g: pruned 12 row(s)', { removed: 12 });
    await job.stop();
  });

  it('stop() waits for the pass in progress and schedules no other', async () => {
    let finish!: (removed: number) => void;
    const prune = jest.fn(() => new Promise<number>((resolve) => (finish = resolve)));
    const job = new PeriodicPrune('inbox of g', prune, 1_000, logger(), () => 0);
    job.start();
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    finish(0);
    await stopping;
    jest.advanceTimersByTime(10_000);
    await settle();
    expect(prune).toHaveBeenCalledTimes(1);
  });
});
