// Adapter: the Send job's attachments over DriveApp. A reference is a Drive file id, a Drive URL (the
// id is taken from it) or a file name in the configured attachments folder (an id or a path such as
// "Postroom/invoices" from My Drive). Planning needs only a file's facts (name, size, type: local
// properties of a fetched File), so `resolve` never downloads; `load` reads the bytes (getBlob) when
// the message is built, once per file per execution (a file attached to many rows is read once).
// Names are found by listing the folder once, lazily (folder.getFiles), not by one search per row.
// An id that matches no file is tried as a name in the folder (a long name may look like an id).
// https://developers.google.com/apps-script/reference/drive/drive-app#getFileById(String)

import type { AttachmentResolution, ResolvedAttachment } from '../domain/send/plan';
import type { AttachmentRef } from '../domain/send/send-list';
import { PostroomError } from '../domain/errors';
import type { AttachmentSource, LoadedFile } from '../jobs/send-ports';

const DRIVE_ID = /^[A-Za-z0-9_-]{25,}$/;
/** Bytes kept in memory for files used by several rows; beyond, the cache starts afresh. */
const CACHE_LIMIT_BYTES = 40_000_000;

function isNotFound(error: unknown): boolean {
  return /No item with the given ID|not found|Access denied/i.test(String(error));
}

export function driveAttachmentSource(): AttachmentSource {
  const loaded = new Map<string, LoadedFile>();
  const fileObjects = new Map<string, GoogleAppsScript.Drive.File>();
  const facts = new Map<GoogleAppsScript.Drive.File, ResolvedAttachment>();
  const folders = new Map<string, FolderIndex | null>();
  let cachedBytes = 0;

  /** A folder's files by name, filled lazily from ONE iteration kept open for the execution. */
  interface FolderIndex {
    files: GoogleAppsScript.Drive.FileIterator;
    byName: Map<string, GoogleAppsScript.Drive.File>;
    done: boolean;
  }

  /** A file's facts, read once (each getter is a call, however cheap). */
  function factsOf(file: GoogleAppsScript.Drive.File, knownName?: string): ResolvedAttachment {
    let known = facts.get(file);
    if (!known) {
      known = { id: file.getId(), name: knownName ?? file.getName(), size: file.getSize(), mimeType: file.getMimeType() || 'application/octet-stream' };
      facts.set(file, known);
      fileObjects.set(known.id, file);
    }
    return known;
  }

  function keep(file: GoogleAppsScript.Drive.File, knownName?: string): GoogleAppsScript.Drive.File {
    factsOf(file, knownName);
    return file;
  }

  function folderOf(setting: string): FolderIndex | null {
    if (folders.has(setting)) return folders.get(setting) ?? null;
    let folder: GoogleAppsScript.Drive.Folder | null = null;
    if (DRIVE_ID.test(setting)) {
      try {
        folder = DriveApp.getFolderById(setting);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    if (!folder) {
      let current: GoogleAppsScript.Drive.Folder | null = DriveApp.getRootFolder();
      for (const part of setting.split('/').map((p) => p.trim()).filter(Boolean)) {
        const it: GoogleAppsScript.Drive.FolderIterator = current.getFoldersByName(part);
        if (!it.hasNext()) {
          current = null;
          break;
        }
        current = it.next();
      }
      folder = current;
    }
    const index = folder ? { files: folder.getFiles(), byName: new Map(), done: false } : null;
    folders.set(setting, index);
    return index;
  }

  /**
   * A file by name in the folder: the folder is listed once, as far as needed (a send list usually
   * names files in the order they were put there), so N rows cost N iterator steps, not N searches.
   * Of two files with the same name, the first listed is taken.
   */
  function findByName(name: string, folderSetting: string): GoogleAppsScript.Drive.File | null {
    const index = folderOf(folderSetting);
    if (!index) return null;
    const known = index.byName.get(name);
    if (known) return known;
    while (!index.done) {
      if (!index.files.hasNext()) {
        index.done = true;
        break;
      }
      const file = index.files.next();
      const fileName = file.getName();
      if (!index.byName.has(fileName)) index.byName.set(fileName, file);
      if (fileName === name) return keep(file, fileName);
    }
    return null;
  }

  function findById(id: string): GoogleAppsScript.Drive.File | null {
    const cached = fileObjects.get(id);
    if (cached) return cached;
    try {
      return keep(DriveApp.getFileById(id));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  return {
    resolve(_row, refs: readonly AttachmentRef[], folderSetting: string): AttachmentResolution {
      const found: ResolvedAttachment[] = [];
      const missing: string[] = [];
      for (const ref of refs) {
        const file = ref.kind === 'id' ? (findById(ref.id) ?? findByName(ref.raw, folderSetting)) : findByName(ref.name, folderSetting);
        if (file) found.push(factsOf(file));
        else missing.push(ref.raw);
      }
      return { found, missing };
    },
    load(id: string): LoadedFile {
      const cached = loaded.get(id);
      if (cached) return cached;
      const file = findById(id);
      if (!file) throw new PostroomError('NOT_FOUND', `Attachment ${id} disappeared from Drive`);
      const blob = file.getBlob();
      const bytes = Uint8Array.from(blob.getBytes(), (b) => b & 0xff);
      const known = factsOf(file);
      const result: LoadedFile = { id, name: known.name, mimeType: blob.getContentType() || known.mimeType, bytes };
      if (cachedBytes + bytes.length > CACHE_LIMIT_BYTES) {
        loaded.clear();
        cachedBytes = 0;
      }
      loaded.set(id, result);
      cachedBytes += bytes.length;
      return result;
    },
  };
}
