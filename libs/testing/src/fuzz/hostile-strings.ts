import fc from 'fast-check';

/**
 * Strings chosen to break parsers, queries, logs and headers: what a random generator would take
 * years to stumble on, mixed with random unicode so the corpus is not only a fixed list.
 */
export const HOSTILE_SAMPLES: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b@example.com',
  "' OR '1'='1",
  "'; DROP TABLE accounts.accounts; --",
  'x" OR 1=1 --',
  "1' UNION SELECT secret_sha256 FROM accounts.api_keys --",
  '$1',
  '\\',
  '%00',
  '%',
  '_',
  'a\r\nSet-Cookie: pwned=1',
  'a\r\n\r\nHTTP/1.1 200 OK',
  '\u202eexample.com@evil\u202c',
  'مرحبا بالعالم',
  'e\u0301\u0301\u0301\u0301\u0301\u0301',
  'Z\u0351\u0364\u036b\u0343\u0344\u0351\u035b\u0352\u0308\u0346\u0362',
  '\ud83d\ude00',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u2028\u2029',
  '\uffff',
  '😀'.repeat(100),
  `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`,
  `${'a'.repeat(300)}@example.com`,
  `user@${'x'.repeat(250)}.com`,
  'üser@exämple.com',
  'user@[127.0.0.1]',
  '"quoted local"@example.com',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
];

/** A hostile sample, random unicode (full range, lone surrogates included), or the two glued together. */
export function hostileString(maxLength = 300): fc.Arbitrary<string> {
  const random = fc.oneof(
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SAMPLES) },
    { weight: 2, arbitrary: random },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_SAMPLES), random).map(([a, b]) => a + b) },
  );
}

/** Numbers at and past the limits JSON, JavaScript and PostgreSQL draw. */
export function limitNumber(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(0, -0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e308, -1e308, 0.1, 200, 201),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
  );
}

/** Any JSON value, hostile strings and limit numbers included, to a bounded depth. */
export function hostileJson(maxDepth = 3): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(hostileString(60), limitNumber(), fc.boolean(), fc.constant(null));
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(hostileString(20), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}
