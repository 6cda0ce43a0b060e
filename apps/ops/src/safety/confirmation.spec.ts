import { UsageError } from '../errors';
import { createOutput } from '../output';
import { mutationIntent } from './confirmation';

// Jest runs without a terminal, as scripts do.
const out = createOutput(() => false, () => undefined, () => undefined);

describe('mutationIntent', () => {
  it('does what the flags say', () => {
    expect(mutationIntent({ dryRun: true }, out, 'dlt replay')).toBe('dry-run');
    expect(mutationIntent({ execute: true }, out, 'dlt replay')).toBe('execute');
  });

  it('refuses both flags, and a script that gave neither, before any work', () => {
    expect(() => mutationIntent({ dryRun: true, execute: true }, out, 'dlt replay')).toThrow(UsageError);
    expect(() => mutationIntent({}, out, 'dlt replay')).toThrow(/dlt replay changes the cluster: pass --dry-run .* or --execute/);
  });
});
