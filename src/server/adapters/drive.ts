// Adapter: FileStore over DriveApp. Folders are addressed by path from My Drive's root and looked up
// once per execution (a path cache, and a cache of folders by id), files are created from bytes; Drive
// allows several files with the same name, so callers choose unique names (domain/collect naming) and
// nothing is overwritten. Every DriveApp getter is a round trip, so createFile asks Drive only for the
// new file's id: its name, size and type are the ones given, and its URL is built from the id in the
// form File.getUrl() returns (https://drive.google.com/file/d/<id>/view). createFiles uploads in
// parallel with the Drive API (drive-upload.ts); a file over the multipart size goes through DriveApp.
// https://developers.google.com/apps-script/reference/drive/drive-app

import type { CreateFileResult, FileStore, StoredFile } from '../ports/files';
import { errorMessage, isExecutionOver } from '../domain/errors';
import { toSignedBytes, utf8Encode } from '../domain/encoding';
import { MULTIPART_MAX_BYTES, uploadFiles } from './drive-upload';
import { createSubfolder, downloadText, findFilesWithSha256, findSubfolderId, replaceContent } from './drive-lookup';

type DriveFile = GoogleAppsScript.Drive.File;

/**
 * A file's facts, each asked of Drive only when read (every getter is a round trip), then kept.
 * The URL is built from the id (driveFileUrl).
 */
function describe(file: DriveFile): StoredFile & { bytes(): Uint8Array } {
  const memo: Partial<StoredFile> = {};
  const once = <K extends keyof StoredFile>(key: K, read: () => StoredFile[K]): StoredFile[K] => (memo[key] ??= read()) as StoredFile[K];
  return {
    get id() {
      return once('id', () => file.getId());
    },
    get name() {
      return once('name', () => file.getName());
    },
    get url() {
      return once('url', () => driveFileUrl(this.id));
    },
    get size() {
      return once('size', () => file.getSize());
    },
    get mimeType() {
      return once('mimeType', () => file.getMimeType());
    },
    bytes: () => Uint8Array.from(file.getBlob().getBytes(), (b) => b & 0xff),
  };
}

function firstFolder(iterator: GoogleAppsScript.Drive.FolderIterator): GoogleAppsScript.Drive.Folder | null {
  return iterator.hasNext() ? iterator.next() : null;
}

/** The URL Drive shows a file at, from its id (what File.getUrl() returns, without the usp parameter). */
export function driveFileUrl(id: string): string {
  return `https://drive.google.com/file/d/${id}/view`;
}

/** `rewriteReadFiles`: a text file read in this execution is rewritten without being looked up again (collect's log). */
export function driveFileStore(options: { rewriteReadFiles?: boolean } = {}): FileStore {
  const folderCache = new Map<string, GoogleAppsScript.Drive.Folder>();
  const foldersById = new Map<string, GoogleAppsScript.Drive.Folder>();

  function folderById(id: string): GoogleAppsScript.Drive.Folder {
    let folder = foldersById.get(id);
    if (!folder) {
      folder = DriveApp.getFolderById(id);
      foldersById.set(id, folder);
    }
    return folder;
  }

  const idsByPath = new Map<string, string>();
  /** Text files read in this execution, by "folderId/name", so a rewrite needs no second lookup. */
  const textFilesRead = new Map<string, DriveFile>();
  const textFilesById = new Map<string, DriveFile>();

  /** The folder's id, asked of Drive once per path per execution. */
  function remember(path: readonly string[], folder: GoogleAppsScript.Drive.Folder): string {
    const key = path.join('/');
    let id = idsByPath.get(key);
    if (id === undefined) {
      id = folder.getId();
      idsByPath.set(key, id);
      foldersById.set(id, folder);
    }
    return id;
  }

  function walk(path: readonly string[], create: boolean): GoogleAppsScript.Drive.Folder | null {
    // Start below the deepest folder already known, so a known path costs no call at all.
    let start = path.length;
    while (start > 0 && !folderCache.has(path.slice(0, start).join('/'))) start--;
    let folder = start > 0 ? (folderCache.get(path.slice(0, start).join('/')) as GoogleAppsScript.Drive.Folder) : DriveApp.getRootFolder();
    for (let depth = start; depth < path.length; depth++) {
      const key = path.slice(0, depth + 1).join('/');
      const found = firstFolder(folder.getFoldersByName(path[depth]));
      if (!found && !create) return null;
      folder = found ?? folder.createFolder(path[depth]);
      folderCache.set(key, folder);
    }
    return folder;
  }

  function findByName(folderId: string, name: string): DriveFile | null {
    const files = folderById(folderId).getFilesByName(name);
    return files.hasNext() ? files.next() : null;
  }

  function createFile(folderId: string, name: string, bytes: Uint8Array, mimeType: string): StoredFile {
    // Apps Script takes bytes as Java byte[]: signed values.
    const blob = Utilities.newBlob(toSignedBytes(bytes), mimeType, name);
    const id = folderById(folderId).createFile(blob).getId();
    return { id, name, url: driveFileUrl(id), size: bytes.length, mimeType };
  }

  return {
    ensureFolder(path) {
      return idsByPath.get(path.join('/')) ?? remember(path, walk(path, true) as GoogleAppsScript.Drive.Folder);
    },
    ensureFolderIn(parentId, name) {
      // Found, or made, by one Drive API request each (DriveApp: folder, search, hasNext, next, getId;
      // folder, createFolder, getId).
      return findSubfolderId(parentId, name) ?? createSubfolder(parentId, name);
    },
    findFolder(path) {
      const known = idsByPath.get(path.join('/'));
      if (known !== undefined) return known;
      const folder = walk(path, false);
      return folder ? remember(path, folder) : null;
    },
    listFileNames(folderId) {
      const names: string[] = [];
      const files = folderById(folderId).getFiles();
      while (files.hasNext()) names.push(files.next().getName());
      return names;
    },
    createFile,
    createFiles(items) {
      const results: CreateFileResult[] = new Array(items.length);
      const small = items.flatMap((item, index) => (item.bytes.length <= MULTIPART_MAX_BYTES ? [index] : []));
      const uploads = uploadFiles(small.map((index) => items[index]));
      small.forEach((index, k) => {
        const outcome = uploads[k];
        const { name, bytes, mimeType } = items[index];
        results[index] = outcome.ok
          ? {
              ok: true,
              file: { id: outcome.id, name, url: driveFileUrl(outcome.id), size: bytes.length, mimeType: outcome.mimeType || mimeType },
            }
          : { ok: false, error: outcome.error, maybeCreated: outcome.maybeCreated };
      });
      items.forEach((item, index) => {
        if (results[index]) return;
        try {
          results[index] = { ok: true, file: createFile(item.folderId, item.name, item.bytes, item.mimeType) };
        } catch (error) {
          if (isExecutionOver(error)) throw error;
          const message = errorMessage(error);
          // DriveApp does not say whether the upload was stored before the error.
          results[index] = { ok: false, error: message, maybeCreated: true };
        }
      });
      return results;
    },
    getFile(id) {
      try {
        return describe(DriveApp.getFileById(id));
      } catch (error) {
        // DriveApp throws for an unknown or inaccessible id; that is "not found" to callers.
        if (/No item with the given ID|not found|Access denied/i.test(String(error))) return null;
        throw error;
      }
    },
    findFileByName(folderId, name) {
      const file = findByName(folderId, name);
      return file ? describe(file) : null;
    },
    findFilesWithSha256,
    writeTextFile(folderId, name, text, mimeType = 'text/plain') {
      // The file just read (read, then rewritten: Drive files cannot be appended to) is not looked up again.
      const key = `${folderId}/${name}`;
      const existing = (options.rewriteReadFiles ? textFilesRead.get(key) : undefined) ?? findByName(folderId, name);
      if (existing) {
        existing.setContent(text);
        return describe(existing);
      }
      const created = folderById(folderId).createFile(name, text, mimeType);
      textFilesRead.set(key, created);
      return describe(created);
    },
    rewriteTextFile(folderId, name, rewrite, mimeType) {
      const [found] = findFilesWithSha256(folderId, name);
      const old = found ? downloadText(found.id) : null;
      if (found && old !== null) {
        const text = rewrite(old);
        replaceContent(found.id, text, mimeType);
        return { id: found.id, name, url: found.url, size: text.length, mimeType };
      }
      const [created] = this.createFiles([{ folderId, name, bytes: utf8Encode(rewrite('')), mimeType }]);
      if (!created.ok) throw new Error(created.error);
      return created.file;
    },
    rewriteTextFileById(id, rewrite, mimeType) {
      const old = downloadText(id);
      if (old === null) return null;
      const text = rewrite(old);
      replaceContent(id, text, mimeType);
      return { id, name: '', url: driveFileUrl(id), size: text.length, mimeType };
    },
    readTextFileById(id) {
      let file: DriveFile;
      try {
        file = DriveApp.getFileById(id);
      } catch (error) {
        if (isExecutionOver(error)) throw error;
        return null;
      }
      textFilesById.set(id, file);
      return file.getBlob().getDataAsString('UTF-8');
    },
    writeTextFileById(id, text) {
      // The file just read by id is not looked up again.
      const file = textFilesById.get(id) ?? DriveApp.getFileById(id);
      file.setContent(text);
      return describe(file);
    },
    readTextFile(folderId, name) {
      const file = findByName(folderId, name);
      if (file) textFilesRead.set(`${folderId}/${name}`, file);
      return file ? file.getBlob().getDataAsString('UTF-8') : null;
    },
  };
}
