import { BadRequestProblem, PreconditionRequiredProblem } from '../problem-details/http-problems';
import { StaleVersionError } from './account.errors';
import { checkVersion, parseIfMatch, requireIfMatch } from './if-match';

describe('If-Match', () => {
  it('parses absent, any, and lists of strong tags; weak tags never match', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('  ')).toBeUndefined();
    expect(parseIfMatch('*')).toEqual({ kind: 'any' });
    expect(parseIfMatch('"3"')).toEqual({ kind: 'versions', versions: [3] });
    expect(parseIfMatch('"3", "4"')).toEqual({ kind: 'versions', versions: [3, 4] });
    expect(parseIfMatch('W/"3"')).toEqual({ kind: 'versions', versions: [] });
    expect(parseIfMatch('"abc"')).toEqual({ kind: 'versions', versions: [] });
  });

  it('refuses a malformed header with 400', () => {
    expect(() => parseIfMatch('3')).toThrow(BadRequestProblem);
    expect(() => parseIfMatch('"3')).toThrow(BadRequestProblem);
  });

  it('requires the header where asked, with 428', () => {
    expect(() => requireIfMatch(undefined)).toThrow(PreconditionRequiredProblem);
    expect(requireIfMatch('"1"')).toEqual({ kind: 'versions', versions: [1] });
  });

  it('checks the current version', () => {
    expect(() => checkVersion({ kind: 'versions', versions: [2] }, 2)).not.toThrow();
    expect(() => checkVersion({ kind: 'any' }, 9)).not.toThrow();
    expect(() => checkVersion(undefined, 9)).not.toThrow();
    expect(() => checkVersion({ kind: 'versions', versions: [1] }, 2)).toThrow(StaleVersionError);
    expect(() => checkVersion(parseIfMatch('W/"2"'), 2)).toThrow(StaleVersionError);
  });
});
