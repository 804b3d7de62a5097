// Adapter: FileStore over DriveApp. Folders are addressed by path from My Drive's root and looked up
// once per execution (a path cache), files are created from bytes; Drive allows several files with
// the same name, so callers choose unique names (domain/collect naming) and nothing is overwritten.
// https://developers.google.com/apps-script/reference/drive/drive-app

import type { FileStore, StoredFile } from '../ports';

type DriveFile = GoogleAppsScript.Drive.File;

function describe(file: DriveFile): StoredFile & { bytes(): Uint8Array } {
  return {
    id: file.getId(),
    name: file.getName(),
    url: file.getUrl(),
    size: file.getSize(),
    mimeType: file.getMimeType(),
    bytes: () => Uint8Array.from(file.getBlob().getBytes(), (b) => b & 0xff),
  };
}

function firstFolder(iterator: GoogleAppsScript.Drive.FolderIterator): GoogleAppsScript.Drive.Folder | null {
  return iterator.hasNext() ? iterator.next() : null;
}

export function driveFileStore(): FileStore {
  const folderCache = new Map<string, GoogleAppsScript.Drive.Folder>();

  function walk(path: readonly string[], create: boolean): GoogleAppsScript.Drive.Folder | null {
    let folder = DriveApp.getRootFolder();
    for (let depth = 0; depth < path.length; depth++) {
      const key = path.slice(0, depth + 1).join('/');
      const cached = folderCache.get(key);
      if (cached) {
        folder = cached;
        continue;
      }
      const found = firstFolder(folder.getFoldersByName(path[depth]));
      if (!found && !create) return null;
      folder = found ?? folder.createFolder(path[depth]);
      folderCache.set(key, folder);
    }
    return folder;
  }

  function findByName(folderId: string, name: string): DriveFile | null {
    const files = DriveApp.getFolderById(folderId).getFilesByName(name);
    return files.hasNext() ? files.next() : null;
  }

  return {
    ensureFolder(path) {
      return (walk(path, true) as GoogleAppsScript.Drive.Folder).getId();
    },
    findFolder(path) {
      return walk(path, false)?.getId() ?? null;
    },
    listFileNames(folderId) {
      const names: string[] = [];
      const files = DriveApp.getFolderById(folderId).getFiles();
      while (files.hasNext()) names.push(files.next().getName());
      return names;
    },
    createFile(folderId, name, bytes, mimeType) {
      // Apps Script takes bytes as Java byte[]: signed values.
      const blob = Utilities.newBlob(Array.from(bytes, (b) => (b > 127 ? b - 256 : b)), mimeType, name);
      return describe(DriveApp.getFolderById(folderId).createFile(blob));
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
    writeTextFile(folderId, name, text, mimeType = 'text/plain') {
      const existing = findByName(folderId, name);
      if (existing) {
        existing.setContent(text);
        return describe(existing);
      }
      return describe(DriveApp.getFolderById(folderId).createFile(name, text, mimeType));
    },
    readTextFile(folderId, name) {
      const file = findByName(folderId, name);
      return file ? file.getBlob().getDataAsString('UTF-8') : null;
    },
  };
}
