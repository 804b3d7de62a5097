// PropertiesService: script, user and document stores of string values (the document store is null
// outside a container), with the documented limits: 9 KB per value, 500 KB per store, and their errors.
// https://developers.google.com/apps-script/reference/properties
// https://developers.google.com/apps-script/guides/services/quotas (Properties value size, total storage)

import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

type Properties = GoogleAppsScript.Properties.Properties;

export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;
export const PROPERTIES_ERRORS = {
  valueTooLarge: 'Argument too large: value',
  storeFull: 'You have exceeded the property storage quota. Please remove some properties and try again.',
  nullKey: 'Invalid argument: key',
};

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** One property store's state (script, one user's, one document's). */
export class PropertiesStore {
  readonly values = new Map<string, string>();

  /** Bytes used: keys and values in UTF-8. */
  size(values: Map<string, string> = this.values): number {
    let total = 0;
    for (const [key, value] of values) total += utf8Length(key) + utf8Length(value);
    return total;
  }

  /** Applies a change atomically: checks every limit on the result before committing it. */
  commit(next: Map<string, string>): void {
    for (const value of next.values()) {
      if (utf8Length(value) > PROPERTY_VALUE_LIMIT_BYTES) throw new Error(PROPERTIES_ERRORS.valueTooLarge);
    }
    if (this.size(next) > PROPERTY_STORE_LIMIT_BYTES) throw new Error(PROPERTIES_ERRORS.storeFull);
    this.values.clear();
    for (const [key, value] of next) this.values.set(key, value);
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

export interface PropertyStores {
  script: PropertiesStore;
  user: PropertiesStore;
  /** The container document's store; null for a standalone script. */
  document: PropertiesStore | null;
}

export class FakeProperties implements Pick<
  Properties,
  'getProperty' | 'setProperty' | 'getProperties' | 'setProperties' | 'deleteProperty' | 'deleteAllProperties' | 'getKeys'
> {
  constructor(
    private readonly store: PropertiesStore,
    private readonly ctx: ServiceContext,
  ) {}

  private call<T>(method: string, fn: () => T): T {
    return this.ctx.call(`PropertiesService.Properties.${method}`, fn);
  }

  private self(): Properties {
    return this as unknown as Properties;
  }

  getProperty(key: string): string | null {
    return this.call('getProperty', () => this.store.values.get(String(key)) ?? null);
  }
  setProperty(key: string, value: string): Properties {
    return this.call('setProperty', () => {
      if (key === null || key === undefined) throw new Error(PROPERTIES_ERRORS.nullKey);
      const next = new Map(this.store.values);
      next.set(String(key), String(value));
      this.store.commit(next);
      return this.self();
    });
  }
  getProperties(): { [key: string]: string } {
    return this.call('getProperties', () => this.store.toJSON());
  }
  setProperties(properties: { [key: string]: string }, deleteAllOthers?: boolean): Properties {
    return this.call('setProperties', () => {
      const next = deleteAllOthers ? new Map<string, string>() : new Map(this.store.values);
      for (const [key, value] of Object.entries(properties)) next.set(key, String(value));
      this.store.commit(next);
      return this.self();
    });
  }
  deleteProperty(key: string): Properties {
    return this.call('deleteProperty', () => {
      this.store.values.delete(String(key));
      return this.self();
    });
  }
  deleteAllProperties(): Properties {
    return this.call('deleteAllProperties', () => {
      this.store.values.clear();
      return this.self();
    });
  }
  getKeys(): string[] {
    return this.call('getKeys', () => [...this.store.values.keys()]);
  }
}

export class FakePropertiesService implements Pick<
  GoogleAppsScript.Properties.PropertiesService,
  'getScriptProperties' | 'getUserProperties' | 'getDocumentProperties'
> {
  constructor(
    private readonly stores: PropertyStores,
    private readonly ctx: ServiceContext,
    private readonly options: { inContainer: boolean },
  ) {}

  private view(store: PropertiesStore): Properties {
    return withNotEmulated(new FakeProperties(store, this.ctx), 'PropertiesService.Properties') as unknown as Properties;
  }

  getScriptProperties(): Properties {
    return this.ctx.call('PropertiesService.getScriptProperties', () => this.view(this.stores.script));
  }
  getUserProperties(): Properties {
    return this.ctx.call('PropertiesService.getUserProperties', () => this.view(this.stores.user));
  }
  getDocumentProperties(): Properties {
    return this.ctx.call('PropertiesService.getDocumentProperties', () =>
      this.options.inContainer && this.stores.document ? this.view(this.stores.document) : null,
    ) as Properties;
  }
}

export function createPropertyStores(options: { inContainer: boolean }): PropertyStores {
  return { script: new PropertiesStore(), user: new PropertiesStore(), document: options.inContainer ? new PropertiesStore() : null };
}

/** PropertiesService for the sandbox. */
export function createPropertiesService(
  stores: PropertyStores,
  ctx: ServiceContext,
  options: { inContainer: boolean },
): GoogleAppsScript.Properties.PropertiesService {
  return withNotEmulated(
    new FakePropertiesService(stores, ctx, options),
    'PropertiesService',
  ) as unknown as GoogleAppsScript.Properties.PropertiesService;
}
