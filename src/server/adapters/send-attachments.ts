// Adapter: the Send job's attachments over DriveApp. A reference is a Drive file id, a Drive URL (the
// id is taken from it) or a file name in the configured attachments folder (an id or a path such as
// "Postroom/invoices" from My Drive). A file is read once per execution (getFileById / getFilesByName,
// then getBlob): name, type and bytes come from the Blob, which costs no further call. An id that
// matches no file is tried as a name in the folder, since a long file name may look like an id.
// https://developers.google.com/apps-script/reference/drive/drive-app#getFileById(String)

import type { AttachmentResolution, ResolvedAttachment } from '../domain/send/plan';
import type { AttachmentRef } from '../domain/send/send-list';
import { PostroomError } from '../domain/errors';
import type { AttachmentSource, LoadedFile } from '../jobs/send-ports';

const DRIVE_ID = /^[A-Za-z0-9_-]{25,}$/;
/** Bytes kept in memory between resolve and load; beyond, the cache starts afresh. */
const CACHE_LIMIT_BYTES = 40_000_000;

function isNotFound(error: unknown): boolean {
  return /No item with the given ID|not found|Access denied/i.test(String(error));
}

export function driveAttachmentSource(): AttachmentSource {
  const files = new Map<string, LoadedFile>();
  const byName = new Map<string, string | null>();
  const folders = new Map<string, GoogleAppsScript.Drive.Folder | null>();
  let cachedBytes = 0;

  function remember(file: GoogleAppsScript.Drive.File): LoadedFile {
    const blob = file.getBlob();
    const bytes = Uint8Array.from(blob.getBytes(), (b) => b & 0xff);
    const loaded: LoadedFile = { id: file.getId(), name: blob.getName() ?? 'attachment', mimeType: blob.getContentType() ?? 'application/octet-stream', bytes };
    if (cachedBytes + bytes.length > CACHE_LIMIT_BYTES) {
      files.clear();
      cachedBytes = 0;
    }
    files.set(loaded.id, loaded);
    cachedBytes += bytes.length;
    return loaded;
  }

  function folderOf(setting: string): GoogleAppsScript.Drive.Folder | null {
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
    folders.set(setting, folder);
    return folder;
  }

  function findByName(name: string, folderSetting: string): LoadedFile | null {
    const key = `${folderSetting}\u0000${name}`;
    if (byName.has(key)) {
      const id = byName.get(key);
      return id ? (files.get(id) ?? remember(DriveApp.getFileById(id))) : null;
    }
    const folder = folderOf(folderSetting);
    const it = folder?.getFilesByName(name);
    const file = it && it.hasNext() ? it.next() : null;
    const loaded = file ? remember(file) : null;
    byName.set(key, loaded?.id ?? null);
    return loaded;
  }

  function findById(id: string): LoadedFile | null {
    const cached = files.get(id);
    if (cached) return cached;
    try {
      return remember(DriveApp.getFileById(id));
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
        if (file) found.push({ id: file.id, name: file.name, size: file.bytes.length, mimeType: file.mimeType });
        else missing.push(ref.raw);
      }
      return { found, missing };
    },
    load(id: string): LoadedFile {
      const file = findById(id);
      if (!file) throw new PostroomError('NOT_FOUND', `Attachment ${id} disappeared from Drive`);
      return file;
    },
  };
}
