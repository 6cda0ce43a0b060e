import { clientErrorResponse } from './client-errors';

describe('client errors (found by the fuzz run: Node answered them with an empty body)', () => {
  it.each([
    ['HPE_INVALID_HEADER_TOKEN', 400, 'BAD_REQUEST'],
    ['HPE_HEADER_OVERFLOW', 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    [undefined, 400, 'BAD_REQUEST'],
  ])('answers %s with a %i problem document', (code, status, problemCode) => {
    const response = clientErrorResponse(code);
    const [head, body] = response.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toContain('Content-Type: application/problem+json');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual(expect.objectContaining({ status, code: problemCode, instance: '/' }));
  });
});
