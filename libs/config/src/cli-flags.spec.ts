import { parseFlags } from './cli-flags';

describe('parseFlags', () => {
  const defaults = { duration: 20, databaseUrl: 'postgres://x', short: false, floors: 'yes' };

  it('reads kebab-case flags, spaced or with =, into the defaults\' types', () => {
    expect(parseFlags(['--duration', '5', '--database-url=postgres://y', '--short', '--floors', 'no'], defaults)).toEqual({
      duration: 5,
      databaseUrl: 'postgres://y',
      short: true,
      floors: 'no',
    });
    expect(parseFlags([], defaults)).toEqual(defaults);
    expect(parseFlags(['--short=false'], { ...defaults, short: true }).short).toBe(false);
    expect(parseFlags(['--duration=0'], defaults).duration).toBe(0);
  });

  it('refuses unknown flags, missing values and numbers that are not', () => {
    expect(() => parseFlags(['--durations', '5'], defaults)).toThrow('unknown option --durations; options: --duration, --database-url, --short, --floors');
    expect(() => parseFlags(['duration', '5'], defaults)).toThrow('unknown option duration');
    expect(() => parseFlags(['--duration'], defaults)).toThrow('--duration needs a value');
    expect(() => parseFlags(['--duration', 'ten'], defaults)).toThrow('--duration must be a non-negative number, got ten');
    expect(() => parseFlags(['--duration=-1'], defaults)).toThrow('non-negative');
    expect(() => parseFlags(['--duration='], defaults)).toThrow('non-negative');
  });
});
