import { Pacer, parseRate } from './pacer';

describe('Pacer', () => {
  it('lets record i go at start + i / rate, catching up after a late step', async () => {
    let clock = 1_000;
    const slept: number[] = [];
    const pacer = new Pacer(50, () => clock, async (ms) => {
      slept.push(ms);
      clock += ms;
    });
    await pacer.admit(1); // record 0 at 1000
    await pacer.admit(1); // record 1 due at 1020
    clock += 100; // a slow commit: now 1120
    await pacer.admit(1); // record 2 was due at 1040: at once
    await pacer.admit(1); // record 3 due at 1060: at once
    await pacer.admit(5); // records 4..8, due from 1080: at once
    await pacer.admit(1); // record 9 due at 1180
    expect(slept).toEqual([20, 60]);
    expect(pacer.stepSize(500)).toBe(5);
  });

  it('does not wait without a rate, and steps by about 100 ms of records, at least one and at most a transaction', async () => {
    const pacer = new Pacer(undefined, () => 0, async () => {
      throw new Error('must not sleep');
    });
    await pacer.admit(1_000);
    expect(pacer.stepSize(500)).toBe(500);
    expect(new Pacer(2_000).stepSize(500)).toBe(200);
    expect(new Pacer(10_000).stepSize(500)).toBe(500);
    expect(new Pacer(5).stepSize(500)).toBe(1);
  });

  it('parses a rate with or without /s', () => {
    expect(parseRate('50')).toBe(50);
    expect(parseRate('12.5/s')).toBe(12.5);
    expect(parseRate(undefined)).toBeUndefined();
    expect(parseRate('fast')).toBeNaN();
    expect(parseRate('0')).toBeNaN();
  });
});
