// Adapter: KeyValueStore over PropertiesService's user store, values as JSON. The user store is the
// right one for an add-on: script properties are shared by every user of a published add-on, and
// document properties do not exist in a Gmail card or a time-driven trigger.
// Limits: 9 KB per value, 500 KB per store (https://developers.google.com/apps-script/guides/services/quotas).

import { USER_PROPERTY_PREFIX } from '../domain/storage-keys';
import { utf8Length } from '../domain/encoding';
import { localizedError } from '../domain/errors';
import type { KeyValueStore } from '../ports/kv';
import { translateServer } from '../domain/server-messages';
import { userLocale } from './session';

export const PROPERTY_VALUE_LIMIT = 9 * 1024;

/** A value as its JSON text, refused in the user's language over the 9 KB a property value may hold. */
export function encodeProperty(fullKey: string, value: unknown): string {
  const raw = JSON.stringify(value);
  // Apps Script counts the key and the value; the value alone is the part that grows.
  if (utf8Length(raw) > PROPERTY_VALUE_LIMIT) {
    throw localizedError(
      'INTERNAL',
      translateServer,
      'storage.tooLarge',
      { key: fullKey, bytes: utf8Length(raw) },
      { locale: userLocale() },
    );
  }
  return raw;
}

/** A stored property's value (null when absent); unreadable JSON is an error in the user's language. */
export function decodeProperty<T>(fullKey: string, raw: string | null | undefined): T | null {
  if (raw === undefined || raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch (error) {
    throw localizedError(
      'INTERNAL',
      translateServer,
      'storage.notJson',
      { key: fullKey },
      { locale: userLocale(), details: { cause: String(error) } },
    );
  }
}

export function userPropertiesStore(prefix = USER_PROPERTY_PREFIX): KeyValueStore {
  const properties = PropertiesService.getUserProperties();
  return {
    get: <T>(key: string): T | null => decodeProperty<T>(prefix + key, properties.getProperty(prefix + key)),
    set(key: string, value: unknown): void {
      properties.setProperty(prefix + key, encodeProperty(prefix + key, value));
    },
    delete(key: string): void {
      properties.deleteProperty(prefix + key);
    },
  };
}
