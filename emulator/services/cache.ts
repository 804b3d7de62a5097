// CacheService: script, user and document caches (document null outside a container). Entries expire
// by the VIRTUAL clock (default 600 s, at most 21600 s), values ≤ 100 KB, keys ≤ 250 characters, and the
// cache evicts its oldest entries past a configurable size, because the platform "may evict" at any time:
// code must never rely on the cache for correctness (checkpoints belong in Properties or the Sheet).
// https://developers.google.com/apps-script/reference/cache/cache

import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

type Cache = GoogleAppsScript.Cache.Cache;

export const CACHE_MAX_TTL_SECONDS = 21_600;
export const CACHE_DEFAULT_TTL_SECONDS = 600;
export const CACHE_VALUE_LIMIT_BYTES = 100 * 1024;
export const CACHE_KEY_LIMIT_CHARS = 250;
export const CACHE_ERRORS = {
  valueTooLarge: 'Argument too large: value',
  keyTooLong: 'Argument too large: key',
  ttlTooLarge: 'Argument too large: expirationInSeconds',
};

interface CacheEntry {
  value: string;
  expiresAt: number;
  insertedAt: number;
}

/** One cache's state. `maxEntries` bounds it: past it the oldest entries are evicted. */
export class CacheStore {
  readonly entries = new Map<string, CacheEntry>();
  evictions = 0;

  constructor(public maxEntries = 1000) {}

  /** Drops every entry, as the platform may do at any time. */
  evictAll(): void {
    this.evictions += this.entries.size;
    this.entries.clear();
  }

  live(key: string, now: number): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  put(key: string, value: string, ttlSeconds: number, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlSeconds * 1000, insertedAt: now });
    while (this.entries.size > this.maxEntries) {
      // Map keeps insertion order: the first key is the oldest entry.
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evictions += 1;
    }
  }
}

export interface CacheStores {
  script: CacheStore;
  user: CacheStore;
  document: CacheStore | null;
}

function checkKey(key: string): string {
  const text = String(key);
  if (text.length > CACHE_KEY_LIMIT_CHARS) throw new Error(CACHE_ERRORS.keyTooLong);
  return text;
}

function checkValue(value: string): string {
  const text = String(value);
  if (Buffer.byteLength(text, 'utf8') > CACHE_VALUE_LIMIT_BYTES) throw new Error(CACHE_ERRORS.valueTooLarge);
  return text;
}

function checkTtl(ttl: number | undefined): number {
  const seconds = ttl ?? CACHE_DEFAULT_TTL_SECONDS;
  if (seconds > CACHE_MAX_TTL_SECONDS) throw new Error(CACHE_ERRORS.ttlTooLarge);
  return Math.max(1, seconds);
}

export class FakeCache implements Pick<Cache, 'get' | 'getAll' | 'put' | 'putAll' | 'remove' | 'removeAll'> {
  constructor(
    private readonly store: CacheStore,
    private readonly ctx: ServiceContext,
  ) {}

  private call<T>(method: string, fn: () => T): T {
    return this.ctx.call(`CacheService.Cache.${method}`, fn);
  }

  get(key: string): string | null {
    return this.call('get', () => this.store.live(checkKey(key), this.ctx.clock.now())?.value ?? null);
  }
  getAll(keys: string[]): { [key: string]: string } {
    return this.call('getAll', () => {
      const out: { [key: string]: string } = {};
      for (const key of keys) {
        const entry = this.store.live(checkKey(key), this.ctx.clock.now());
        if (entry) out[key] = entry.value;
      }
      return out;
    });
  }
  put(key: string, value: string, expirationInSeconds?: number): void {
    this.call('put', () => this.store.put(checkKey(key), checkValue(value), checkTtl(expirationInSeconds), this.ctx.clock.now()));
  }
  putAll(values: { [key: string]: string }, expirationInSeconds?: number): void {
    this.call('putAll', () => {
      const ttl = checkTtl(expirationInSeconds);
      const checked = Object.entries(values).map(([key, value]) => [checkKey(key), checkValue(value)] as const);
      for (const [key, value] of checked) this.store.put(key, value, ttl, this.ctx.clock.now());
    });
  }
  remove(key: string): void {
    this.call('remove', () => {
      this.store.entries.delete(checkKey(key));
    });
  }
  removeAll(keys: string[]): void {
    this.call('removeAll', () => {
      for (const key of keys) this.store.entries.delete(checkKey(key));
    });
  }
}

export class FakeCacheService implements Pick<GoogleAppsScript.Cache.CacheService, 'getScriptCache' | 'getUserCache' | 'getDocumentCache'> {
  constructor(
    private readonly stores: CacheStores,
    private readonly ctx: ServiceContext,
    private readonly options: { inContainer: boolean },
  ) {}

  private view(store: CacheStore): Cache {
    return withNotEmulated(new FakeCache(store, this.ctx), 'CacheService.Cache') as unknown as Cache;
  }

  getScriptCache(): Cache {
    return this.ctx.call('CacheService.getScriptCache', () => this.view(this.stores.script));
  }
  getUserCache(): Cache {
    return this.ctx.call('CacheService.getUserCache', () => this.view(this.stores.user));
  }
  getDocumentCache(): Cache | null {
    return this.ctx.call('CacheService.getDocumentCache', () =>
      this.options.inContainer && this.stores.document ? this.view(this.stores.document) : null,
    );
  }
}

export function createCacheStores(options: { inContainer: boolean; maxEntries?: number }): CacheStores {
  return {
    script: new CacheStore(options.maxEntries),
    user: new CacheStore(options.maxEntries),
    document: options.inContainer ? new CacheStore(options.maxEntries) : null,
  };
}

/** CacheService for the sandbox. */
export function createCacheService(
  stores: CacheStores,
  ctx: ServiceContext,
  options: { inContainer: boolean },
): GoogleAppsScript.Cache.CacheService {
  return withNotEmulated(new FakeCacheService(stores, ctx, options), 'CacheService') as unknown as GoogleAppsScript.Cache.CacheService;
}
