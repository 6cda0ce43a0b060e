import fc from 'fast-check';
import { escapeLiteral } from 'pg';
import { quoteLiteral } from './inbox-batch';

describe('quoteLiteral', () => {
  it('quotes exactly as pg’s escapeLiteral, whatever the string', () => {
    const tricky = fc.constantFrom("'", '\\', "''", "\\'", 'E', ' ', ',', '\u0000', 'ü', '✓');
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(tricky, { maxLength: 12 }).map((parts) => parts.join('')));
    fc.assert(fc.property(text, (value) => quoteLiteral(value) === escapeLiteral(value)), { numRuns: 2_000, seed: 20261125 });
  });
});
