import { ConfigError, EnvReader } from './env-reader';

describe('EnvReader', () => {
  it('uses fallbacks for unset variables and parses set ones', () => {
    const reader = new EnvReader({ PORT: '8080', FLAG: 'yes', LIST: 'a, b,,c' });
    expect(reader.int('PORT', 1)).toBe(8080);
    expect(reader.int('OTHER', 7)).toBe(7);
    expect(reader.bool('FLAG', false)).toBe(true);
    expect(reader.list('LIST', [])).toEqual(['a', 'b', 'c']);
    expect(() => reader.done()).not.toThrow();
  });

  it('collects every problem and names each variable in one error', () => {
    const reader = new EnvReader({ PORT: 'eighty', FLAG: 'maybe', URL: 'not a url' });
    reader.int('PORT', 1, { min: 0, max: 65535 });
    reader.bool('FLAG', false);
    reader.url('URL');
    reader.string('REQUIRED');
    let thrown: unknown;
    try {
      reader.done();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT.*FLAG.*URL.*REQUIRED/s);
  });
});

describe('EnvReader.postgresUrl and problem', () => {
  it('accepts postgres URLs and names a wrong scheme or a malformed URL once', () => {
    const reader = new EnvReader({ A: 'postgresql://db/x', B: 'mysql://db/x', C: 'not a url' });
    expect(reader.postgresUrl('A')).toBe('postgresql://db/x');
    reader.postgresUrl('B');
    reader.postgresUrl('C');
    reader.problem('X and Y disagree');
    expect(() => reader.done()).toThrow(ConfigError);
    try {
      reader.done();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'B must be a postgres:// URL, got scheme "mysql:"',
        'C must be a URL, got "not a url"',
        'X and Y disagree',
      ]);
    }
  });
});
