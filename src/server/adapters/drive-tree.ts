// Adapter: ONE listing of the attachments folder and its subfolders for the attachment patterns
// (`FACTURE_{{key}}_{{period}}*.pdf`, `2026-01/{{key}}/`), made the first time a row needs it in an
// execution and kept: a send list of a thousand rows costs one walk of the folder tree, not a search
// per row. Files in the folder have their name as path; deeper ones "sub/folder/name".
// https://developers.google.com/apps-script/reference/drive/folder#getFiles()

import type { ListedFile } from '../domain/send/attachment-patterns';

const DRIVE_ID = /^[A-Za-z0-9_-]{25,}$/;
/** Folders deeper than this are not listed (a runaway tree would eat the execution). */
const MAX_DEPTH = 6;
const MAX_FILES = 20_000;

function openFolder(setting: string): GoogleAppsScript.Drive.Folder | null {
  if (DRIVE_ID.test(setting)) {
    try {
      return DriveApp.getFolderById(setting);
    } catch {
      // not an id after all: try it as a path below
    }
  }
  let current: GoogleAppsScript.Drive.Folder | null = DriveApp.getRootFolder();
  for (const part of setting
    .split('/')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const it: GoogleAppsScript.Drive.FolderIterator = current.getFoldersByName(part);
    if (!it.hasNext()) return null;
    current = it.next();
  }
  return current;
}

/** A lister that walks each folder setting once per execution. */
export function driveTreeLister(): (folderSetting: string) => ListedFile[] {
  const cache = new Map<string, ListedFile[]>();
  return (folderSetting: string) => {
    const known = cache.get(folderSetting);
    if (known) return known;
    const listing: ListedFile[] = [];
    const root = openFolder(folderSetting);
    const walk = (folder: GoogleAppsScript.Drive.Folder, prefix: string, depth: number) => {
      const files = folder.getFiles();
      while (files.hasNext() && listing.length < MAX_FILES) {
        const file = files.next();
        const name = file.getName();
        listing.push({
          id: file.getId(),
          name,
          path: prefix + name,
          size: file.getSize(),
          mimeType: file.getMimeType() || 'application/octet-stream',
        });
      }
      if (depth >= MAX_DEPTH) return;
      const folders = folder.getFolders();
      while (folders.hasNext()) {
        const child = folders.next();
        walk(child, `${prefix}${child.getName()}/`, depth + 1);
      }
    };
    if (root) walk(root, '', 0);
    cache.set(folderSetting, listing);
    return listing;
  };
}
