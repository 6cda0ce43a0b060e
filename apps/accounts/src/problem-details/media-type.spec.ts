import { isJsonMediaType, mediaTypeEssence, requestHasBody } from './media-type';

describe('media types', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/merge-patch+json', true],
    ['application/problem+json', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonx', false],
    ['', false],
    [undefined, false],
  ])('%s is JSON: %s', (contentType, expected) => {
    expect(isJsonMediaType(contentType)).toBe(expected);
  });

  it('extracts the essence without parameters', () => {
    expect(mediaTypeEssence(' Text/Plain ; charset=utf-8')).toBe('text/plain');
    expect(mediaTypeEssence(undefined)).toBeUndefined();
  });

  it('knows a request has a body from Content-Length or Transfer-Encoding', () => {
    expect(requestHasBody({ 'content-length': '12' })).toBe(true);
    expect(requestHasBody({ 'transfer-encoding': 'chunked' })).toBe(true);
    expect(requestHasBody({ 'content-length': '0' })).toBe(false);
    expect(requestHasBody({})).toBe(false);
  });
});
