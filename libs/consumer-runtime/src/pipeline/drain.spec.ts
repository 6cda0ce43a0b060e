import { ShutdownInterruptedError } from '../errors/runtime-errors';
import { fakeNext, fakePipelineDeps, pipelineJob } from '../test/fixtures';
import { drainMiddleware } from './drain';

describe('the drain step', () => {
  it('runs the record and passes its outcome on while the server is up', async () => {
    const { deps } = fakePipelineDeps();
    const next = fakeNext(() => ({ kind: 'ignored', reason: 'duplicate' }));
    expect(await drainMiddleware(deps)(pipelineJob(), next)).toEqual({ kind: 'ignored', reason: 'duplicate' });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('starts no new record once close() began, leaving it unacknowledged', async () => {
    const { deps, shutdown } = fakePipelineDeps();
    shutdown.abort();
    const next = fakeNext();
    expect(await drainMiddleware(deps)(pipelineJob(), next)).toEqual({ kind: 'interrupted' });
    expect(next).not.toHaveBeenCalled();
  });

  it('turns a wait cut short by shutdown into an unacknowledged record', async () => {
    const { deps } = fakePipelineDeps();
    const next = fakeNext(() => {
      throw new ShutdownInterruptedError();
    });
    expect(await drainMiddleware(deps)(pipelineJob(), next)).toEqual({ kind: 'interrupted' });
  });

  it('lets any other error through', async () => {
    const { deps } = fakePipelineDeps();
    const next = fakeNext(() => {
      throw new Error('parked_keys query failed');
    });
    await expect(drainMiddleware(deps)(pipelineJob(), next)).rejects.toThrow('parked_keys query failed');
  });
});
