// Port: the Drive side of the export, in its own terms. Folders by path from My Drive, text files
// written whole (create, or replace the content of the same-name file: writing a batch again after a
// crash leaves one file, never two), files probed by name and size, attachment bytes uploaded in
// parallel with one outcome per file, and the snapshot file trashed at the end.

export interface ExportFileInfo {
  id: string;
  name: string;
  size: number;
  url: string;
}

export interface ExportNewFile {
  folderId: string;
  name: string;
  bytes: Uint8Array;
  mimeType: string;
}

export type ExportUpload = { ok: true; file: ExportFileInfo } | { ok: false; error: string; maybeCreated: boolean };

export interface ExportFiles {
  /** The folder at `path` (segments from My Drive's root), created as needed; its id. */
  ensureFolder(path: readonly string[]): string;
  /** The folder at `path`, or null (creates nothing). */
  findFolder(path: readonly string[]): string | null;
  /** The URL Drive shows a folder at. */
  folderUrl(folderId: string): string;
  /** The first (non-trashed) file called `name` in the folder, or null. */
  findFile(folderId: string, name: string): ExportFileInfo | null;
  /** Creates the file, or replaces the content of the same-name file. */
  writeText(folderId: string, name: string, text: string, mimeType: string): ExportFileInfo;
  readText(folderId: string, name: string): string | null;
  /** Uploads files (in parallel where the platform allows); one outcome per item, never retried here. */
  upload(items: readonly ExportNewFile[]): ExportUpload[];
  /** Moves the file called `name` to the trash (nothing when absent). */
  trash(folderId: string, name: string): void;
}
