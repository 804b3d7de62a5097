// Port: Drive as the jobs use it: folders by path, files created (one at a time, or many in parallel
// with one outcome each), found by id or by name, and small text files rewritten whole.

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
  /** The folder `name` inside the folder `parentId` ('root': My Drive), created if missing (one level: its id can be saved before the next). */
  ensureFolderIn?(parentId: string, name: string): string;
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
  /**
   * The files named `name` in a folder with Drive's SHA-256 of their content (lower-case hex, '' when
   * Drive has none): one request, no download. Optional; throws when Drive cannot answer.
   */
  findFilesWithSha256?(folderId: string, name: string): Array<StoredFile & { sha256: string }>;
  /** Creates or replaces the content of a text file (Drive files cannot be appended to). */
  writeTextFile(folderId: string, name: string, text: string, mimeType?: string): StoredFile;
  readTextFile(folderId: string, name: string): string | null;
  /**
   * Rewrites the text file `name` of a folder (made when missing) with `rewrite(old content)`, by the
   * Drive API in a few requests (a lookup, a download, an update). Optional.
   */
  rewriteTextFile?(folderId: string, name: string, rewrite: (old: string) => string, mimeType: string): StoredFile;
  /** The same by the file's id (a download and an update); null when there is no such file. Optional. */
  rewriteTextFileById?(id: string, rewrite: (old: string) => string, mimeType: string): StoredFile | null;
  /** A text file's content by its id, null when there is no such file (optional: spares the lookup by name). */
  readTextFileById?(id: string): string | null;
  /** Replaces the content of the text file `id` (optional; throws when there is no such file). */
  writeTextFileById?(id: string, text: string): StoredFile;
}
