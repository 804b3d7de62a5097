// Conformance tests for PropertiesService and CacheService.
// https://developers.google.com/apps-script/reference/properties/properties
// https://developers.google.com/apps-script/reference/cache/cache
// https://developers.google.com/apps-script/guides/services/quotas

import { createPropertiesService, createPropertyStores, PROPERTIES_ERRORS } from '../../../emulator/services/properties';
import { CACHE_ERRORS, createCacheService, createCacheStores } from '../../../emulator/services/cache';
import { newContext } from './helpers';

describe('PropertiesService stores strings per scope; document store is null outside a container', () => {
  it('script, user and document stores are separate and values become strings', () => {
    const ctx = newContext();
    const props = createPropertiesService(createPropertyStores({ inContainer: true }), ctx, { inContainer: true });
    props.getScriptProperties().setProperty('cursor', 42 as unknown as string);
    props.getUserProperties().setProperty('cursor', 'u');
    expect(props.getScriptProperties().getProperty('cursor')).toBe('42');
    expect(props.getUserProperties().getProperty('cursor')).toBe('u');
    expect(props.getDocumentProperties().getProperty('cursor')).toBeNull();
  });
  it('standalone script: getDocumentProperties() is null', () => {
    const ctx = newContext();
    const props = createPropertiesService(createPropertyStores({ inContainer: false }), ctx, { inContainer: false });
    expect(props.getDocumentProperties()).toBeNull();
  });
  it('setProperties(props, deleteAllOthers) replaces, getKeys/deleteProperty/deleteAllProperties', () => {
    const ctx = newContext();
    const store = createPropertiesService(createPropertyStores({ inContainer: false }), ctx, { inContainer: false }).getScriptProperties();
    store.setProperties({ a: '1', b: '2' });
    store.setProperties({ c: '3' }, true);
    expect(store.getProperties()).toEqual({ c: '3' });
    store.setProperties({ d: '4' });
    expect(store.getKeys().sort()).toEqual(['c', 'd']);
    store.deleteProperty('c');
    expect(store.getKeys()).toEqual(['d']);
    store.deleteAllProperties();
    expect(store.getProperties()).toEqual({});
  });
});

describe('Properties limits: 9 KB per value, 500 KB per store, with their errors', () => {
  it('a value over 9 KB is refused and nothing is stored', () => {
    const ctx = newContext();
    const store = createPropertiesService(createPropertyStores({ inContainer: false }), ctx, { inContainer: false }).getScriptProperties();
    store.setProperty('ok', 'x'.repeat(9 * 1024));
    expect(() => store.setProperty('big', 'x'.repeat(9 * 1024 + 1))).toThrow(PROPERTIES_ERRORS.valueTooLarge);
    expect(store.getProperty('big')).toBeNull();
    // UTF-8 bytes count, not characters: 4,700 × "é" is 9,400 bytes.
    expect(() => store.setProperty('accents', 'é'.repeat(4700))).toThrow(PROPERTIES_ERRORS.valueTooLarge);
  });
  it('the store refuses to grow past 500 KB', () => {
    const ctx = newContext();
    const store = createPropertiesService(createPropertyStores({ inContainer: false }), ctx, { inContainer: false }).getScriptProperties();
    // 56 × ~9,003 bytes = ~504 KB fit under 500 KiB (512,000 bytes); the 57th does not.
    for (let i = 0; i < 56; i++) store.setProperty(`k${i}`, 'x'.repeat(9000));
    expect(() => store.setProperty('k56', 'x'.repeat(9000))).toThrow(PROPERTIES_ERRORS.storeFull);
    expect(store.getKeys()).toHaveLength(56);
  });
});

describe('CacheService: expiry on the virtual clock', () => {
  it('an entry lives for its ttl, then is gone', () => {
    const ctx = newContext();
    const cache = createCacheService(createCacheStores({ inContainer: false }), ctx, { inContainer: false }).getScriptCache();
    cache.put('token', 'abc', 60);
    ctx.advance(59_000);
    expect(cache.get('token')).toBe('abc');
    ctx.advance(1_000);
    expect(cache.get('token')).toBeNull();
  });
  it('the default ttl is 10 minutes; getAll returns only live keys', () => {
    const ctx = newContext();
    const cache = createCacheService(createCacheStores({ inContainer: false }), ctx, { inContainer: false }).getUserCache();
    cache.putAll({ a: '1', b: '2' });
    cache.put('c', '3', 21_600);
    ctx.advance(600_000);
    expect(cache.getAll(['a', 'b', 'c', 'd'])).toEqual({ c: '3' });
  });
  it('refuses a ttl over 6 hours, a value over 100 KB and a key over 250 characters', () => {
    const ctx = newContext();
    const cache = createCacheService(createCacheStores({ inContainer: false }), ctx, { inContainer: false }).getScriptCache();
    expect(() => cache.put('k', 'v', 21_601)).toThrow(CACHE_ERRORS.ttlTooLarge);
    expect(() => cache.put('k', 'x'.repeat(100 * 1024 + 1))).toThrow(CACHE_ERRORS.valueTooLarge);
    expect(() => cache.put('k'.repeat(251), 'v')).toThrow(CACHE_ERRORS.keyTooLong);
    expect(cache.get('k')).toBeNull();
  });
});

describe('CacheService: eviction, so code cannot rely on the cache', () => {
  it('evicts the oldest entries past maxEntries', () => {
    const ctx = newContext();
    const stores = createCacheStores({ inContainer: true, maxEntries: 3 });
    const cache = createCacheService(stores, ctx, { inContainer: true }).getDocumentCache()!;
    for (const key of ['a', 'b', 'c', 'd']) cache.put(key, key);
    expect(cache.getAll(['a', 'b', 'c', 'd'])).toEqual({ b: 'b', c: 'c', d: 'd' });
    expect(stores.document?.evictions).toBe(1);
  });
  it('evictAll empties the cache at any moment; remove/removeAll delete keys', () => {
    const ctx = newContext();
    const stores = createCacheStores({ inContainer: false });
    const cache = createCacheService(stores, ctx, { inContainer: false }).getScriptCache();
    cache.putAll({ a: '1', b: '2', c: '3' });
    cache.remove('a');
    cache.removeAll(['b']);
    expect(cache.getAll(['a', 'b', 'c'])).toEqual({ c: '3' });
    stores.script.evictAll();
    expect(cache.get('c')).toBeNull();
  });
});
