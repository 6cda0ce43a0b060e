import { ApiKeyScope, grants, isApiKeyScope } from './api-key-scope';

describe('API key scopes', () => {
  it('nest: admin implies write implies read, never the other way', () => {
    expect(grants([ApiKeyScope.Admin], ApiKeyScope.Read)).toBe(true);
    expect(grants([ApiKeyScope.Admin], ApiKeyScope.Write)).toBe(true);
    expect(grants([ApiKeyScope.Write], ApiKeyScope.Read)).toBe(true);
    expect(grants([ApiKeyScope.Write], ApiKeyScope.Admin)).toBe(false);
    expect(grants([ApiKeyScope.Read], ApiKeyScope.Write)).toBe(false);
    expect(grants([], ApiKeyScope.Read)).toBe(false);
  });

  it('recognises only the three scopes', () => {
    expect(isApiKeyScope('accounts:write')).toBe(true);
    expect(isApiKeyScope('accounts:*')).toBe(false);
    expect(isApiKeyScope('ACCOUNTS:READ')).toBe(false);
  });
});
