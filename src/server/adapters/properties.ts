// Adapter: KeyValueStore over PropertiesService's user store, values as JSON. The user store is the
// right one for an add-on: script properties are shared by every user of a published add-on, and
// document properties do not exist in a Gmail card or a time-driven trigger.
// Limits: 9 KB per value, 500 KB per store (https://developers.google.com/apps-script/guides/services/quotas).

import { utf8Length } from '../domain/encoding';
import { localizedError } from '../domain/errors';
import type { KeyValueStore } from '../ports/kv';
import { translateServer } from '../domain/server-messages';
import { userLocale } from './session';

export const PROPERTY_VALUE_LIMIT = 9 * 1024;

export function userPropertiesStore(prefix = 'postroom.'): KeyValueStore {
  const properties = PropertiesService.getUserProperties();
  return {
    get<T>(key: string): T | null {
      const raw = properties.getProperty(prefix + key);
      if (raw === null) return null;
      try {
        return JSON.parse(raw) as T;
      } catch (error) {
        throw localizedError(
          'INTERNAL',
          translateServer,
          'storage.notJson',
          { key: prefix + key },
          { locale: userLocale(), details: { cause: String(error) } },
        );
      }
    },
    set(key: string, value: unknown): void {
      const raw = JSON.stringify(value);
      // Apps Script counts the key and the value; the value alone is the part that grows.
      if (utf8Length(raw) > PROPERTY_VALUE_LIMIT) {
        throw localizedError(
          'INTERNAL',
          translateServer,
          'storage.tooLarge',
          { key: prefix + key, bytes: utf8Length(raw) },
          { locale: userLocale() },
        );
      }
      properties.setProperty(prefix + key, raw);
    },
    delete(key: string): void {
      properties.deleteProperty(prefix + key);
    },
  };
}
