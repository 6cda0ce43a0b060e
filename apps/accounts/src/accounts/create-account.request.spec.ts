import { RequestValidationProblem } from '../problem-details/http-problems';
import { parseCreateAccountRequest } from './create-account.request';

function errorsOf(body: unknown): { pointer: string; detail: string }[] {
  try {
    parseCreateAccountRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationProblem);
    return [...((error as RequestValidationProblem).errors ?? [])];
  }
  throw new Error('expected the body to be refused');
}

describe('create-account request validation', () => {
  it('accepts a minimal body and trims the email', () => {
    expect(parseCreateAccountRequest({ email: ' ada@example.com ', displayName: 'Ada' })).toEqual({ email: 'ada@example.com', displayName: 'Ada' });
  });

  it('accepts every optional field, with nulls where allowed', () => {
    const body = { email: 'a@example.com', displayName: 'A', locale: 'de-CH', plan: 'pro', externalId: null, signupContext: { ip: '2001:db8::1', userAgent: null } };
    expect(parseCreateAccountRequest(body)).toEqual(body);
  });

  it('names each offending field once, by JSON pointer', () => {
    const errors = errorsOf({
      email: 'nope',
      displayName: ' ',
      locale: 'x',
      plan: 'p'.repeat(41),
      externalId: '',
      signupContext: { ip: 'localhost', userAgent: 'u'.repeat(1001), referrer: 'x' },
      role: 'admin',
    });
    expect(Object.fromEntries(errors.map((e) => [e.pointer, e.detail]))).toEqual({
      '/email': 'must be a valid email address',
      '/displayName': 'must not be blank',
      '/locale': 'must be at least 2 characters long',
      '/plan': 'must be at most 40 characters long',
      '/externalId': 'must not be empty',
      '/signupContext/ip': 'must be a valid ip address',
      '/signupContext/userAgent': 'must be at most 1000 characters long',
      '/signupContext/referrer': 'is not an accepted field',
      '/role': 'is not an accepted field',
    });
  });

  it('names missing required fields', () => {
    expect(errorsOf({})).toEqual([
      { pointer: '/email', detail: 'is required' },
      { pointer: '/displayName', detail: 'is required' },
    ]);
  });

  it('refuses wrong types and non-objects', () => {
    expect(errorsOf({ email: 42, displayName: ['A'] })).toEqual([
      { pointer: '/email', detail: 'must be a string' },
      { pointer: '/displayName', detail: 'must be a string' },
    ]);
    expect(errorsOf('ada@example.com')).toEqual([{ pointer: '', detail: 'must be an object' }]);
    expect(errorsOf(undefined)).toEqual([{ pointer: '', detail: 'a JSON body is required' }]);
  });

  it('bounds the email length', () => {
    const long = `${'a'.repeat(250)}@example.com`;
    expect(errorsOf({ email: long, displayName: 'A' })[0]).toEqual({ pointer: '/email', detail: 'must be at most 254 characters long' });
  });
});
