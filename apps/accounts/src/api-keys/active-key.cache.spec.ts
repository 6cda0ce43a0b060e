import { AccountsConfig } from '../config';
import { ActiveKeyCache } from './active-key.cache';
import { ApiKeyStore, StoredApiKey } from './api-key.store';

const key = (id: string): StoredApiKey => ({
  id,
  clientId: 'c',
  scopes: ['accounts:read'],
  rateLimitPerSecond: null,
  description: null,
  createdAt: new Date(0),
  revokedAt: null,
  secretSha256: Buffer.alloc(32),
});

describe('ActiveKeyCache', () => {
  let active: Map<string, StoredApiKey>;
  let lookups: number;
  const store = { findActive: async (id: string) => (lookups++, active.get(id)) } as unknown as ApiKeyStore;
  const cache = (ttl: number) => new ActiveKeyCache(store, { apiKeyCacheTtlMs: ttl } as AccountsConfig);

  beforeEach(() => {
    active = new Map([['a', key('a')]]);
    lookups = 0;
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => jest.useRealTimers());

  it('runs one lookup for requests that miss the same key at the same time', async () => {
    const c = cache(5_000);
    const found = await Promise.all([c.find('a'), c.find('a'), c.find('a')]);
    expect(found.map((k) => k?.id)).toEqual(['a', 'a', 'a']);
    expect(lookups).toBe(1);
  });

  it('remembers an active key for the TTL, then looks it up again and sees a revocation', async () => {
    const c = cache(5_000);
    expect(await c.find('a')).toBeDefined();
    expect(await c.find('a')).toBeDefined();
    expect(lookups).toBe(1);
    active.delete('a');
    jest.setSystemTime(1_000_000 + 4_999);
    expect(await c.find('a')).toBeDefined();
    jest.setSystemTime(1_000_000 + 5_001);
    expect(await c.find('a')).toBeUndefined();
    expect(lookups).toBe(2);
  });

  it('never remembers a miss, so unknown ids cost a lookup each and fill nothing', async () => {
    const c = cache(5_000);
    expect(await c.find('nope')).toBeUndefined();
    active.set('nope', key('nope'));
    expect(await c.find('nope')).toBeDefined();
    expect(lookups).toBe(2);
  });

  it('looks up every time with a TTL of 0', async () => {
    const c = cache(0);
    await c.find('a');
    await c.find('a');
    expect(lookups).toBe(2);
  });
});
