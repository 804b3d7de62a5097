// Adapter: the user properties as the collect job reads them, with as few service calls as possible
// (an execution may be cut short after a handful of calls, so every call counts): ALL of the user's
// properties are read once, with getProperties, and kept for the execution; writes go through at once
// (setProperty / deleteProperty, or setProperties for several keys in one call) and update that copy.
// Values are JSON, under the same "postroom." prefix and 9 KB limit as userPropertiesStore.
// https://developers.google.com/apps-script/reference/properties/properties#getProperties()

import { USER_PROPERTY_PREFIX } from '../domain/storage-keys';
import type { KeyValueStore } from '../ports/kv';
import { decodeProperty, encodeProperty } from './properties';

export interface BatchKeyValueStore extends KeyValueStore {
  /** Writes several keys in one call. */
  setMany(values: Record<string, unknown>): void;
  /** A property's raw text by its full name (for values other adapters store as plain text), or null. */
  raw(fullKey: string): string | null;
  /** Sets a property's raw text by its full name (one call). */
  setRaw(fullKey: string, text: string): void;
}

export function cachedUserStore(prefix = USER_PROPERTY_PREFIX): BatchKeyValueStore {
  let service: GoogleAppsScript.Properties.Properties | null = null;
  let all: Record<string, string> | null = null;
  const properties = (): GoogleAppsScript.Properties.Properties => (service ??= PropertiesService.getUserProperties());
  const values = (): Record<string, string> => (all ??= { ...properties().getProperties() });
  const encode = (key: string, value: unknown): string => encodeProperty(prefix + key, value);
  return {
    get: <T>(key: string): T | null => decodeProperty<T>(prefix + key, values()[prefix + key]),
    set(key: string, value: unknown): void {
      const raw = encode(key, value);
      properties().setProperty(prefix + key, raw);
      values()[prefix + key] = raw;
    },
    setMany(entries: Record<string, unknown>): void {
      const batch: Record<string, string> = {};
      for (const [key, value] of Object.entries(entries)) batch[prefix + key] = encode(key, value);
      if (!Object.keys(batch).length) return;
      properties().setProperties(batch);
      Object.assign(values(), batch);
    },
    raw: (fullKey) => values()[fullKey] ?? null,
    setRaw(fullKey, text) {
      properties().setProperty(fullKey, text);
      values()[fullKey] = text;
    },
    delete(key: string): void {
      properties().deleteProperty(prefix + key);
      delete values()[prefix + key];
    },
  };
}
