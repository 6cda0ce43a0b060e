import { isStorable, unstorableStrings } from './storable-text';

describe('storable text (found by the fuzz run: these were 500s from PostgreSQL)', () => {
  it('refuses NUL and unpaired surrogates, accepts everything else', () => {
    expect(isStorable('plain, مرحبا, e\u0301, 😀, \u202e')).toBe(true);
    expect(isStorable('a\u0000b')).toBe(false);
    expect(isStorable('\ud800')).toBe(false);
    expect(isStorable('x\udfff')).toBe(false);
    expect(isStorable('\ud83d\ude00')).toBe(true);
    expect(isStorable('\ude00\ud83d')).toBe(false);
  });

  it('names each offending value and key by a pointer that is itself storable', () => {
    const errors = unstorableStrings({ displayName: 'a\u0000', signupContext: { userAgent: ['ok', '\ud800'] }, 'k\udfff/x': 1 });
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/displayName', '/k\ufffd~1x', '/signupContext/userAgent/1']);
    for (const { pointer } of errors) expect(isStorable(pointer)).toBe(true);
  });

  it('walks a deeply nested body without recursion', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}"\\u0000"${']'.repeat(20_000)}`);
    expect(unstorableStrings(deep)).toHaveLength(1);
  });
});
