import { firstDifference } from './document-difference';

describe('firstDifference', () => {
  it('is undefined for equal values, whatever the key order', () => {
    expect(firstDifference({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toBeUndefined();
  });

  it('names the first differing place as a JSON Pointer with both sides', () => {
    expect(firstDifference({ paths: { '/v1/a': { get: { security: ['read'] } } } }, { paths: { '/v1/a': { get: { security: ['write'] } } } })).toBe(
      '/paths/~1v1~1a/get/security/0: the file has "read", the code "write"',
    );
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toBe('/b: the file has nothing, the code 2');
    expect(firstDifference([1], { 0: 1 })).toBe('/: the file has [1], the code {"0":1}');
  });
});
