import { MAX_JSON_DEPTH, jsonDepth, verifyJsonDepth } from './json-depth';

describe('JSON depth limit (found by the fuzz run: a deep body with an Idempotency-Key was a 500)', () => {
  it('counts nesting, not brackets inside strings', () => {
    expect(jsonDepth(Buffer.from('{"a":[1,{"b":2}]}'))).toBe(3);
    expect(jsonDepth(Buffer.from('{"a":"[[[[{{{{\\"[[["}'))).toBe(1);
    expect(jsonDepth(Buffer.from('"x"'))).toBe(0);
  });

  it('refuses a body past the limit with a 400 SyntaxError, which the filter renders as MALFORMED_JSON', () => {
    const deep = Buffer.from(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`);
    expect(() => verifyJsonDepth(undefined, undefined, deep)).toThrow(SyntaxError);
    try {
      verifyJsonDepth(undefined, undefined, deep);
    } catch (error) {
      expect((error as { status: number }).status).toBe(400);
    }
    expect(() => verifyJsonDepth(undefined, undefined, Buffer.from(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`))).not.toThrow();
  });
});
