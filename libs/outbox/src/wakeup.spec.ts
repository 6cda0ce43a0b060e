import { Wakeup } from './wakeup';

describe('Wakeup', () => {
  it('returns false when the time runs out', async () => {
    const started = Date.now();
    await expect(new Wakeup().wait(30)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('returns true as soon as it is signalled', async () => {
    const wakeup = new Wakeup();
    const started = Date.now();
    const waiting = wakeup.wait(10_000);
    setTimeout(() => wakeup.signal(), 10);
    await expect(waiting).resolves.toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps a signal that arrived while nobody waited', async () => {
    const wakeup = new Wakeup();
    wakeup.signal();
    await expect(wakeup.wait(10_000)).resolves.toBe(true);
    // ...but only once.
    await expect(wakeup.wait(10)).resolves.toBe(false);
  });

  it('forgets a kept signal when cleared', async () => {
    const wakeup = new Wakeup();
    wakeup.signal();
    wakeup.clear();
    await expect(wakeup.wait(10)).resolves.toBe(false);
  });
});
