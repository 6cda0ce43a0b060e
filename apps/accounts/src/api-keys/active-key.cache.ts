import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNTS_CONFIG, AccountsConfig } from '../config';
import { ApiKeyStore, StoredApiKey } from './api-key.store';

/** Enough for every client of a real deployment; beyond it the cache starts over rather than grow. */
const MAX_CACHED_KEYS = 10_000;

/**
 * Active keys found in the database, remembered for a few seconds. The lookup was one of a
 * sign-up's two round trips, a third of its database work; a short memory halves that while
 * keeping revocation prompt: a revoked key stops working within the TTL on every instance.
 * Only keys that exist and are active are remembered, never misses, so unknown ids cannot fill
 * it, and the presented secret is checked against the stored hash on every request regardless.
 */
@Injectable()
export class ActiveKeyCache {
  private readonly entries = new Map<string, { key: StoredApiKey; expiresAt: number }>();

  constructor(
    private readonly store: ApiKeyStore,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  async find(id: string): Promise<StoredApiKey | undefined> {
    const ttl = this.config.apiKeyCacheTtlMs;
    if (ttl === 0) return this.store.findActive(id);
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt > Date.now()) return cached.key;
    const key = await this.store.findActive(id);
    if (!key) {
      this.entries.delete(id);
      return undefined;
    }
    if (this.entries.size >= MAX_CACHED_KEYS) this.entries.clear();
    this.entries.set(id, { key, expiresAt: Date.now() + ttl });
    return key;
  }
}
