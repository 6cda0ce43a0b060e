import { PermanentError } from '@platform/contracts';
import { ident, tenantWorkspace } from './tenant-workspace';

describe('tenantWorkspace', () => {
  it('names schema, role and archive after the account id without dashes, lower-cased', () => {
    const workspace = tenantWorkspace('7E2B9C40-1D3F-4A8E-B6C5-0F9D8E7A6B51', { plan: 'team', locale: 'de' });
    expect(workspace.schema).toBe('tenant_7e2b9c401d3f4a8eb6c50f9d8e7a6b51');
    expect(workspace.role).toBe(workspace.schema);
    expect(workspace.archivedSchema).toBe('archived_tenant_7e2b9c401d3f4a8eb6c50f9d8e7a6b51');
    expect(Buffer.byteLength(workspace.archivedSchema)).toBeLessThanOrEqual(63);
    expect(workspace.defaults).toEqual({ plan: 'team', locale: 'de' });
  });

  it.each(['', 'robert"; DROP SCHEMA public; --', '7e2b9c40-1d3f-4a8e-b6c5', '../../etc'])('refuses %j permanently', (id) => {
    expect(() => tenantWorkspace(id)).toThrow(PermanentError);
    try {
      tenantWorkspace(id);
    } catch (error) {
      expect((error as PermanentError).code).toBe('INVALID_ACCOUNT_ID');
    }
  });

  it('quotes identifiers, doubling embedded quotes', () => {
    expect(ident('tenant_ab')).toBe('"tenant_ab"');
    expect(ident('a"b')).toBe('"a""b"');
  });
});
