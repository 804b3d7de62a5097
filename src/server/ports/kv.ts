// Port: durable small key/value storage (PropertiesService: 9 KB per value, 500 KB per store), values
// as JSON. Never the cache for state a job depends on: the cache may be evicted at any time.

export interface KeyValueStore {
  get<T>(key: string): T | null;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Writes several keys in one call where the store can (else one by one). */
  setMany?(values: Record<string, unknown>): void;
}
