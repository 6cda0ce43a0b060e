import { whileConcurrent } from './replay-publisher';

const concurrent = Object.assign(new Error('another concurrent operation'), { type: 'CONCURRENT_TRANSACTIONS' });

describe('whileConcurrent', () => {
  it('retries while the coordinator is still finishing the previous transaction', async () => {
    let calls = 0;
    const result = await whileConcurrent(async () => {
      calls += 1;
      if (calls < 3) throw concurrent;
      return 'sent';
    });
    expect(result).toBe('sent');
    expect(calls).toBe(3);
  });

  it('passes any other error on at once', async () => {
    let calls = 0;
    const fenced = Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' });
    await expect(
      whileConcurrent(async () => {
        calls += 1;
        throw fenced;
      }),
    ).rejects.toBe(fenced);
    expect(calls).toBe(1);
  });
});
