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
  /**
   * Lookups in progress: when an entry expires under load, every request with that key misses
   * at once, and without this each would queue for a connection to run the same SELECT.
   */
  private readonly loading = new Map<string, Promise<StoredApiKey | undefined>>();

  constructor(
    private readonly store: ApiKeyStore,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  async find(id: string): Promise<StoredApiKey | undefined> {
    const ttl = this.config.apiKeyCacheTtlMs;
    if (ttl === 0) return this.store.findActive(id);
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt > Date.now()) return cached.key;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id, ttl).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  private async load(id: string, ttl: number): Promise<StoredApiKey | undefined> {
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
