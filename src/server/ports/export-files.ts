// Port: the Drive side of the export, in its own terms. Folders one level at a time from a parent id
// (so each level found or made is a step the job can save), text files read by id (several in one
// round trip), written whole (a known file replaced by id, else the same-name file, else created), a
// batch file created with the manifest's new content in the same round trip, files probed by name and
// size, attachment bytes uploaded in parallel with one outcome per file, and files trashed by id.

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

/** A file whose content is replaced (by id) in the same round trip as a create. */
export interface ExportRewrite {
  id: string;
  text: string;
  mimeType: string;
}

export interface ExportFiles {
  /** The subfolder `name` of `parentId` ('root': My Drive), or null; with `create`, made when absent. */
  folderIn(parentId: string, name: string, create: boolean): string | null;
  /** The URL Drive shows a folder at. */
  folderUrl(folderId: string): string;
  /** The first (non-trashed) file called `name` in the folder, or null. */
  findFile(folderId: string, name: string): ExportFileInfo | null;
  /** As findFile, asked to come with the next request the execution sends (see askText). */
  askFile(folderId: string, name: string): () => ExportFileInfo | null;
  /** The texts of files by id, in one round trip; null for a file Drive does not have. */
  readTexts(ids: readonly string[]): Array<string | null>;
  /**
   * Asks for a file's text with the next request the execution sends (the Gmail read it is about to
   * make: one call carries both); the function returned gives it, read alone when nothing carried it.
   */
  askText(id: string): () => string | null;
  /** Writes a text file whole: replaces the content of `knownId`, else of the same-name file, else creates it. */
  putText(folderId: string, name: string, text: string, mimeType: string, knownId: string | null): ExportFileInfo;
  /**
   * Creates the file `name` (never replaces one) and, in the same round trip, replaces the content of
   * `alongside`. Throws when the create did not surely succeed; `alongsideDone` false when the rewrite
   * failed (the caller writes it again).
   */
  createText(
    folderId: string,
    name: string,
    text: string,
    mimeType: string,
    alongside: ExportRewrite | null,
  ): { file: ExportFileInfo; alongsideDone: boolean };
  /** Uploads files (in parallel where the platform allows); one outcome per item, never retried here. */
  upload(items: readonly ExportNewFile[]): ExportUpload[];
  /** Moves a file to the trash by id. */
  trashById(id: string): void;
}
