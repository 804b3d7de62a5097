// Adapter: the export's Drive port over the shared FileStore (DriveApp folders and files, parallel
// Drive REST uploads) and DriveApp for the two things FileStore does not do: trash a file and give a
// folder's URL (built from its id, as Folder.getUrl() returns it, without a round trip).
// https://developers.google.com/apps-script/reference/drive/file#setTrashed(Boolean)

import type { FileStore } from '../ports/files';
import type { ExportFiles } from '../ports/export-files';
import { driveFileStore } from './drive';

export function driveExportFiles(files: FileStore = driveFileStore()): ExportFiles {
  return {
    ensureFolder: (path) => files.ensureFolder(path),
    findFolder: (path) => files.findFolder(path),
    folderUrl: (folderId) => `https://drive.google.com/drive/folders/${folderId}`,
    findFile(folderId, name) {
      const file = files.findFileByName(folderId, name);
      return file ? { id: file.id, name, size: file.size, url: file.url } : null;
    },
    writeText(folderId, name, text, mimeType) {
      const file = files.writeTextFile(folderId, name, text, mimeType);
      return { id: file.id, name, size: file.size, url: file.url };
    },
    readText: (folderId, name) => files.readTextFile(folderId, name),
    upload(items) {
      return files
        .createFiles(items)
        .map((outcome) =>
          outcome.ok
            ? { ok: true as const, file: { id: outcome.file.id, name: outcome.file.name, size: outcome.file.size, url: outcome.file.url } }
            : outcome,
        );
    },
    trash(folderId, name) {
      const found = DriveApp.getFolderById(folderId).getFilesByName(name);
      while (found.hasNext()) found.next().setTrashed(true);
    },
  };
}
