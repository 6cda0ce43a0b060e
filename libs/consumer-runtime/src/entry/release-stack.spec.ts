import { ReleaseStack } from './release-stack';

describe('ReleaseStack', () => {
  it('closes in reverse order of opening, each once', async () => {
    const closed: string[] = [];
    const stack = new ReleaseStack();
    stack.push(() => closed.push('inbox pool'));
    stack.push(async () => closed.push('publisher'));
    stack.push(() => closed.push('feed'));
    await stack.releaseAll();
    await stack.releaseAll();
    expect(closed).toEqual(['feed', 'publisher', 'inbox pool']);
  });

  it('closes the rest when one close fails, then reports that failure', async () => {
    const closed: string[] = [];
    const stack = new ReleaseStack();
    stack.push(() => closed.push('inbox pool'));
    stack.push(() => {
      throw new Error('broker gone');
    });
    stack.push(() => closed.push('feed'));
    await expect(stack.releaseAll()).rejects.toThrow('broker gone');
    expect(closed).toEqual(['feed', 'inbox pool']);
  });
});
