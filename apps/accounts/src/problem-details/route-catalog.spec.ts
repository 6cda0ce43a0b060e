import { RouteCatalog, expressRoutes } from './route-catalog';

describe('RouteCatalog', () => {
  it('lists methods per path, case-insensitively and with an optional trailing slash, adding HEAD to GET', () => {
    const catalog = new RouteCatalog(() => [
      { path: '/health/live', methods: ['get'] },
      { path: '/v1/accounts/:id/suspend', methods: ['post'] },
    ]);
    expect(catalog.allowedMethods('/health/live')).toEqual(['GET', 'HEAD']);
    expect(catalog.allowedMethods('/HEALTH/live/')).toEqual(['GET', 'HEAD']);
    expect(catalog.allowedMethods('/v1/accounts/x/suspend')).toEqual(['POST']);
    expect(catalog.allowedMethods('/v1/accounts/x/y/suspend')).toEqual([]);
    expect(catalog.allowedMethods('/v1/accounts')).toEqual([]);
  });

  it('loads routes once, on first use', () => {
    let loads = 0;
    const catalog = new RouteCatalog(() => {
      loads += 1;
      return [{ path: '/a', methods: ['get'] }];
    });
    expect(loads).toBe(0);
    catalog.allowedMethods('/a');
    catalog.allowedMethods('/b');
    expect(loads).toBe(1);
  });

  it('treats literal segments literally and skips patterns it does not understand', () => {
    const catalog = new RouteCatalog(() => [
      { path: '/v1.0/x', methods: ['get'] },
      { path: '/files/*path', methods: ['get'] },
    ]);
    expect(catalog.allowedMethods('/v1.0/x')).toEqual(['GET', 'HEAD']);
    expect(catalog.allowedMethods('/v1a0/x')).toEqual([]);
    expect(catalog.allowedMethods('/files/a/b')).toEqual([]);
  });

  it('reads the routes of an Express router stack, skipping middleware and catch-alls', () => {
    const app = {
      router: {
        stack: [
          { name: 'jsonParser' },
          { route: { path: '/v1/accounts', methods: { get: true } } },
          { route: { path: '/v1/accounts', methods: { post: true } } },
          { route: { path: '*path', methods: { _all: true } } },
        ],
      },
    };
    expect(expressRoutes(app)).toEqual([
      { path: '/v1/accounts', methods: ['get'] },
      { path: '/v1/accounts', methods: ['post'] },
    ]);
    expect(expressRoutes({})).toEqual([]);
  });
});
