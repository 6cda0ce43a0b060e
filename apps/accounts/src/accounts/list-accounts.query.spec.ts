import { RequestValidationProblem } from '../problem-details/http-problems';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, parseListAccountsQuery } from './list-accounts.query';

describe('list-accounts query', () => {
  it('round-trips a cursor and rejects tampered ones', () => {
    const cursor = { createdAt: new Date('2025-03-04T05:06:07.089Z'), id: '2f0b3d1e-9f1a-4c2b-8d3e-4f5a6b7c8d9e' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('garbage')).toBeUndefined();
    expect(decodeCursor(Buffer.from('2025-01-01T00:00:00Z|not-a-uuid').toString('base64url'))).toBeUndefined();
  });

  it('rejects a cursor whose time PostgreSQL cannot hold (found by the fuzz run: it was a 500)', () => {
    const id = '2f0b3d1e-9f1a-4c2b-8d3e-4f5a6b7c8d9e';
    for (const time of ['-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z']) {
      expect(decodeCursor(Buffer.from(`${time}|${id}`).toString('base64url'))).toBeUndefined();
    }
    expect(decodeCursor(Buffer.from(`9999-12-31T23:59:59.999Z|${id}`).toString('base64url'))).toBeDefined();
  });

  it('refuses an email filter PostgreSQL cannot take (found by the fuzz run: NUL was a 500)', () => {
    for (const email of ['\u0000', 'a\u0000@example.com', '\ud800@example.com']) {
      expect(() => parseListAccountsQuery({ email })).toThrow(RequestValidationProblem);
    }
  });

  it('applies defaults and parses values', () => {
    expect(parseListAccountsQuery({})).toEqual({ email: undefined, status: undefined, limit: DEFAULT_PAGE_SIZE, after: undefined });
    expect(parseListAccountsQuery({ status: 'active', limit: '10' })).toMatchObject({ status: 'active', limit: 10 });
  });

  it('names every bad parameter', () => {
    try {
      parseListAccountsQuery({ status: 'gone', limit: '1000', cursor: 'x', sort: 'name', email: '  ' });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(RequestValidationProblem);
      expect((error as RequestValidationProblem).errors?.map((e) => e.pointer)).toEqual(['/sort', '/email', '/status', '/limit', '/cursor']);
    }
  });
});
