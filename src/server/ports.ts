// Ports: the narrow interfaces, in domain terms, through which jobs reach the outside world. They
// take and return plain data (strings, numbers, Uint8Array, records), never Apps Script objects.
// The adapters in src/server/adapters implement them over Apps Script services; jobs receive them
// as a `deps` object, so a job reads as the use case it is.

/** A cell value as Sheets returns it from getValues(). */
export type CellValue = string | number | boolean | Date;

/** A row of a ledger tab keyed by header name, with its 1-based row number in the sheet. */
export interface LedgerRow {
  rowNumber: number;
  values: Record<string, CellValue>;
}

export interface TableSpec {
  /** Tab name, e.g. "Receipts". */
  name: string;
  /** Headers in order; a tab created by Postroom gets exactly these, frozen. */
  headers: readonly string[];
  /** Columns written as plain text (number format "@"): anything that came from an email or a user. */
  textColumns?: readonly string[];
}

/**
 * One tab of the ledger spreadsheet, used as a table: read once (one getValues), index in memory,
 * write in batches (one setValues per contiguous block). Columns are matched by header name, so a
 * user may reorder or add columns.
 */
export interface LedgerTable {
  readonly name: string;
  /** Headers as they stand in the sheet (after ensuring the spec's headers exist). */
  headers(): string[];
  /** Every data row (one read). */
  readAll(): LedgerRow[];
  /** Appends rows at the end in one write; returns their row numbers. */
  append(rows: Array<Record<string, CellValue>>): number[];
  /** Writes the given columns of the given rows, batched into as few writes as possible. */
  update(updates: Array<{ rowNumber: number; values: Record<string, CellValue> }>): void;
}

export interface LedgerStore {
  /** The tab for `spec`, created on first use with frozen headers, text formats and a filter. */
  table(spec: TableSpec): LedgerTable;
  /** The ledger spreadsheet's URL, for links in the UI. */
  url(): string;
  /**
   * Applies pending writes now. Apps Script may hold Sheets writes back until the end of the
   * execution; a killed execution may lose them. Call it when a write must be durable before what
   * follows (e.g. marking rows "sending" before the send).
   * https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#flush()
   */
  flush(): void;
}

/** Durable small key/value storage (PropertiesService: 9 KB per value, 500 KB per store). */
export interface KeyValueStore {
  get<T>(key: string): T | null;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface StoredFile {
  id: string;
  name: string;
  url: string;
  size: number;
  mimeType: string;
}

/** A file to create (FileStore.createFiles). */
export interface NewFile {
  folderId: string;
  name: string;
  bytes: Uint8Array;
  mimeType: string;
}

/**
 * The outcome of one file of a batch. A failed upload is not idempotent to repeat: `maybeCreated`
 * says the file may exist all the same (server error, network failure), so look before creating again.
 */
export type CreateFileResult = { ok: true; file: StoredFile } | { ok: false; error: string; maybeCreated: boolean };

export interface FileStore {
  /** The folder at `path` (e.g. ["Postroom", "incoming", "2025-01-31"]) from the Drive root, created as needed. */
  ensureFolder(path: readonly string[]): string;
  /** The folder at `path`, or null when any part is missing (creates nothing). */
  findFolder(path: readonly string[]): string | null;
  /** Names of the (non-trashed) files in a folder. */
  listFileNames(folderId: string): string[];
  createFile(folderId: string, name: string, bytes: Uint8Array, mimeType: string): StoredFile;
  /** Creates many files, in parallel where the platform allows; one outcome per item, in order, never retried. */
  createFiles(items: readonly NewFile[]): CreateFileResult[];
  /** Finds a file by id, or by name inside a folder. */
  getFile(id: string): (StoredFile & { bytes(): Uint8Array }) | null;
  findFileByName(folderId: string, name: string): (StoredFile & { bytes(): Uint8Array }) | null;
  /** Creates or replaces the content of a text file (Drive files cannot be appended to). */
  writeTextFile(folderId: string, name: string, text: string, mimeType?: string): StoredFile;
  readTextFile(folderId: string, name: string): string | null;
}

export interface LockHandle {
  release(): void;
}

export interface Lock {
  /** Tries for `waitMs` to take the job's lock; null when another execution holds it. */
  tryAcquire(waitMs: number): LockHandle | null;
}

export type Schedule =
  | { kind: 'off' }
  | { kind: 'everyMinutes'; minutes: 1 | 5 | 10 | 15 | 30 }
  | { kind: 'hourly' }
  | { kind: 'daily'; hour: number };

export interface Scheduler {
  /** Replaces the time-driven trigger(s) of `handler` with one for `schedule` (none for "off"). */
  schedule(handler: string, schedule: Schedule): void;
  /** How many triggers `handler` has. */
  installed(handler: string): number;
  /**
   * A one-off trigger that continues a job soon (e.g. after a quota pause). It replaces every earlier
   * trigger of `handler`, so give continuations a handler of their own.
   */
  continueAfter(handler: string, delayMs: number): void;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
