import { PermanentError, RetriableError } from '@platform/contracts';
import { TenantDbErrorCode, classifyPgError } from './pg-error-classifier';

/** Shaped as pg's DatabaseError: message plus SQLSTATE in `code`. */
function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('classifyPgError', () => {
  it.each([
    ['could not serialize access due to concurrent update', '40001'],
    ['deadlock detected', '40P01'],
    ['canceling statement due to lock timeout', '55P03'],
    ['canceling statement due to statement timeout', '57014'],
    ['tuple concurrently updated', 'XX000'],
  ])('treats "%s" (%s) as contention, retriable', (message, code) => {
    const classified = classifyPgError(pgError(message, code), 'create schema');
    expect(classified).toBeInstanceOf(RetriableError);
    expect(classified.code).toBe(TenantDbErrorCode.Contention);
    expect(classified.message).toBe(`create schema: ${message} (SQLSTATE ${code})`);
  });

  it.each([
    ['terminating connection due to administrator command', '57P01'],
    ['the database system is starting up', '57P03'],
    ['sorry, too many clients already', '53300'],
    ['connection failure', '08006'],
    ['database "tenants" does not exist', '3D000'],
    ['connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'],
    ['write EPIPE', 'EPIPE'],
    ['Connection terminated unexpectedly', undefined],
    ['timeout exceeded when trying to connect', undefined],
  ])('treats "%s" as unavailable, retriable', (message, code) => {
    const classified = classifyPgError(pgError(message, code), 'create role');
    expect(classified).toBeInstanceOf(RetriableError);
    expect(classified.code).toBe(TenantDbErrorCode.Unavailable);
  });

  it.each([
    ['permission denied for schema public', '42501'],
    ['division by zero', '22012'],
    ['relation "settings" already exists', '42P07'],
    ['role "tenant_x" cannot be dropped because some objects depend on it', '2BP01'],
    ['syntax error at or near "SCHEM"', '42601'],
  ])('treats "%s" (%s) as rejected, permanent', (message, code) => {
    const classified = classifyPgError(pgError(message, code), 'seed settings');
    expect(classified).toBeInstanceOf(PermanentError);
    expect(classified.code).toBe(TenantDbErrorCode.Rejected);
  });

  it('keeps any other internal error (XX000) a verdict', () => {
    expect(classifyPgError(pgError('could not open relation with OID 123', 'XX000'), 'grant')).toBeInstanceOf(PermanentError);
  });

  it('passes platform errors through', () => {
    const own = new PermanentError('bad id', 'INVALID_ACCOUNT_ID');
    expect(classifyPgError(own, 'x')).toBe(own);
  });
});
