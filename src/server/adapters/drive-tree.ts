// Adapter: ONE listing of the attachments folder and its subfolders for the attachment patterns
// (`FACTURE_{{key}}_{{period}}*.pdf`, `2026-01/{{key}}/`), made the first time a row needs it in an
// execution and kept: a send list of a thousand rows costs one listing of the folder tree, not a search
// per row. Listed with the Drive API's files.list through UrlFetchApp, a level of the tree at a time
// (the children of up to PARENTS_PER_QUERY folders in one query, 1,000 a page, id / name / size / type /
// parents only): a flat folder of a thousand files is ONE request (DriveApp took six calls a file). Its
// first page rides the execution's first fetchAll once the send is known to use patterns (see
// `folderTreeRequest`). Files in the folder have their name as path; deeper ones "sub/folder/name".
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list

import type { ListedFile } from '../domain/send/attachment-patterns';
import { driveQueryString, filesListUrl, findSubfolderId } from './drive-lookup';
import { scriptToken } from './oauth';
import { listingPage, type FolderMemory } from './send-attachments';

const DRIVE_ID = /^[A-Za-z0-9_-]{25,}$/;
const FOLDER_MIME = 'application/vnd.google-apps.folder';
/** Folders deeper than this are not listed (a runaway tree would eat the execution). */
const MAX_DEPTH = 6;
const MAX_FILES = 20_000;
/** Folders whose children one files.list asks for ("'a' in parents or 'b' in parents …": the query stays short). */
const PARENTS_PER_QUERY = 40;
const PAGE_SIZE = 1000;
const FIELDS = 'nextPageToken,files(id,name,size,mimeType,parents)';

interface Child {
  id: string;
  name: string;
  size?: string;
  mimeType?: string;
  parents?: string[];
}

/** The files.list URL of one page of the children of `parentIds`. */
function childrenUrl(parentIds: readonly string[], pageToken: string | null): string {
  const parents = parentIds.map((id) => `${driveQueryString(id)} in parents`).join(' or ');
  return filesListUrl(`(${parents}) and trashed = false`, PAGE_SIZE, FIELDS, pageToken);
}

/** The request of the tree's first page (the folder's own children), to ask it ahead with the execution's first fetchAll. */
export function folderTreeRequest(folderId: string): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  return {
    url: childrenUrl([folderId], null),
    method: 'get',
    headers: { Authorization: `Bearer ${scriptToken()}` },
    muteHttpExceptions: true,
  };
}

/** One page of children (asked ahead, or fetched now: see listingPage). */
function childrenPage(parentIds: readonly string[], pageToken: string | null): { files: Child[]; next: string | null } {
  const page = listingPage<Child>(childrenUrl(parentIds, pageToken));
  return { files: page.files, next: page.nextPageToken };
}

/** The folder a setting names (an id, or a path from My Drive): kept by the memory, else found level by level. */
function folderIdOf(setting: string, memory: FolderMemory | null): string | null {
  const kept = memory?.known(setting);
  if (kept) return kept;
  if (DRIVE_ID.test(setting)) return setting;
  let current = 'root';
  for (const part of setting
    .split('/')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const id = findSubfolderId(current, part);
    if (!id) return null;
    current = id;
  }
  memory?.remember(setting, current);
  return current;
}

/**
 * A lister that lists each folder setting once per execution. The memory (optional) gives the folder's
 * id kept by the send, and is told once that the send uses patterns (so its first page is asked ahead).
 */
export function driveTreeLister(memory: FolderMemory | null = null): (folderSetting: string) => ListedFile[] {
  const cache = new Map<string, ListedFile[]>();
  return (folderSetting: string) => {
    const known = cache.get(folderSetting);
    if (known) return known;
    const listing: ListedFile[] = [];
    const rootId = folderIdOf(folderSetting, memory);
    if (rootId && memory?.noteTreeUsed && !memory.treeUsed?.(folderSetting)) memory.noteTreeUsed(folderSetting);
    // Each level: the children of the level's folders, pages of PARENTS_PER_QUERY folders at a time.
    let level = rootId ? new Map<string, string>([[rootId, '']]) : new Map<string, string>();
    for (let depth = 0; level.size && depth <= MAX_DEPTH && listing.length < MAX_FILES; depth++) {
      const next = new Map<string, string>();
      const ids = [...level.keys()];
      for (let start = 0; start < ids.length && listing.length < MAX_FILES; start += PARENTS_PER_QUERY) {
        const group = ids.slice(start, start + PARENTS_PER_QUERY);
        let token: string | null = null;
        do {
          const page = childrenPage(group, token);
          for (const child of page.files) {
            const parent = (child.parents ?? []).find((id) => level.has(id));
            if (parent === undefined) continue;
            const path = `${level.get(parent)}${child.name}`;
            if (child.mimeType === FOLDER_MIME) next.set(child.id, `${path}/`);
            else if (listing.length < MAX_FILES)
              listing.push({
                id: child.id,
                name: child.name,
                path,
                size: Number(child.size ?? 0),
                mimeType: child.mimeType || 'application/octet-stream',
              });
          }
          token = page.next;
        } while (token && listing.length < MAX_FILES);
      }
      level = depth < MAX_DEPTH ? next : new Map();
    }
    cache.set(folderSetting, listing);
    return listing;
  };
}
