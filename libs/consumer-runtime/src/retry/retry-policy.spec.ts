import { DEFAULT_RETRY_POLICY, resolveRetryPolicy } from './retry-policy';

describe('retry policy', () => {
  it('fills unset policy fields with the defaults (3 attempts, 100 ms base, 2 s max)', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 });
    expect(resolveRetryPolicy({ attempts: 5, baseDelayMs: undefined })).toEqual({ attempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 });
  });
});
