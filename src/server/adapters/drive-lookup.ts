// Adapter: lookups by name in a folder through the Drive API v3 files.list, ONE request through
// UrlFetchApp with the script's token, where DriveApp needs several calls: the files of a name with
// their size and Drive's own SHA-256 of their content (`sha256Checksum`: a careful probe learns whether
// a file holds these bytes without downloading and hashing them; DriveApp needs about eight calls), and
// the id of a subfolder (DriveApp: folder, search, hasNext, next, getId); and a subfolder made by one
// files.create request (DriveApp: folder, createFolder, getId).
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list
// https://developers.google.com/workspace/drive/api/guides/ref-search-terms

import { errorMessage, isExecutionOver } from '../domain/errors';
import type { StoredFile } from '../ports/files';
import { scriptToken } from './oauth';

export const DRIVE_FILES_URL = 'https://www.googleapis.com/drive/v3/files';
const DRIVE_UPLOAD_FILES_URL = 'https://www.googleapis.com/upload/drive/v3/files';

/** The files.list URL of one page of what query `q` selects, with `fields` only. */
export function filesListUrl(q: string, pageSize: number, fields: string, pageToken: string | null = null): string {
  const params = [
    `q=${encodeURIComponent(q)}`,
    `pageSize=${pageSize}`,
    `fields=${encodeURIComponent(fields)}`,
    ...(pageToken ? [`pageToken=${encodeURIComponent(pageToken)}`] : []),
  ];
  return `${DRIVE_FILES_URL}?${params.join('&')}`;
}

/** A text as a quoted value of a Drive query ('\' and "'" escaped with a backslash). */
export function driveQueryString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The files.list URL of the non-trashed files named `name` in the folder `folderId`. */
export function sameNameQueryUrl(folderId: string, name: string): string {
  const q = `${driveQueryString(folderId)} in parents and name = ${driveQueryString(name)} and trashed = false`;
  const fields = 'files(id,name,mimeType,size,sha256Checksum,webViewLink)';
  return `${DRIVE_FILES_URL}?q=${encodeURIComponent(q)}&fields=${encodeURIComponent(fields)}&pageSize=100`;
}

/** The files of one files.list answer; throws for an error answer (the caller stays careful). */
export function readSameNameAnswer(status: number, text: string): Array<StoredFile & { sha256: string }> {
  if (status < 200 || status >= 300) throw new Error(`Drive files.list: HTTP ${status}: ${text.slice(0, 200)}`);
  const json = JSON.parse(text) as { files?: Array<Record<string, unknown>> };
  return (json.files ?? []).map((file) => ({
    id: String(file.id ?? ''),
    name: String(file.name ?? ''),
    url: String(file.webViewLink ?? ''),
    size: Number(file.size ?? 0),
    mimeType: String(file.mimeType ?? ''),
    // Drive gives binary files a checksum; none (a Google Docs file) is '' and matches no bytes.
    sha256: String(file.sha256Checksum ?? '').toLowerCase(),
  }));
}

/** The files.list URL of the non-trashed subfolders named `name` of the folder `parentId`, ids only. */
export function subfolderQueryUrl(parentId: string, name: string): string {
  const q =
    `${driveQueryString(parentId)} in parents and name = ${driveQueryString(name)} and ` +
    `mimeType = 'application/vnd.google-apps.folder' and trashed = false`;
  return `${DRIVE_FILES_URL}?q=${encodeURIComponent(q)}&fields=${encodeURIComponent('files(id)')}&pageSize=10`;
}

/**
 * One GET on the Drive API with the script's token, tried up to 3 times while the answer may change
 * (no answer, 408, 429, 5xx: a read changes nothing), `pauseMs` × the attempt between tries (0: none,
 * no sleep call). The last answer, with its JSON when it is JSON.
 */
export function driveGet(url: string, pauseMs = 0): { status: number; json: unknown; text: string } {
  let last = { status: 0, json: null as unknown, text: '' };
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt > 1 && pauseMs) Utilities.sleep(pauseMs * (attempt - 1));
    try {
      const response = UrlFetchApp.fetch(url, {
        method: 'get',
        headers: { Authorization: `Bearer ${scriptToken()}` },
        muteHttpExceptions: true,
      });
      const text = response.getContentText();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      last = { status: response.getResponseCode(), json, text };
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      last = { status: 0, json: null, text: errorMessage(error) };
    }
    const retry = last.status === 0 || last.status === 408 || last.status === 429 || last.status >= 500;
    if (!retry) return last;
  }
  return last;
}

/** The id of the first subfolder `name` of `parentId`, or null when there is none. */
export function findSubfolderId(parentId: string, name: string): string | null {
  const { status, text } = driveGet(subfolderQueryUrl(parentId, name));
  if (status < 200 || status >= 300) throw new Error(`Drive files.list: HTTP ${status}: ${text.slice(0, 200)}`);
  const first = ((JSON.parse(text) as { files?: Array<{ id?: unknown }> }).files ?? [])[0];
  return first && typeof first.id === 'string' && first.id ? first.id : null;
}

export function findFilesWithSha256(folderId: string, name: string): Array<StoredFile & { sha256: string }> {
  const { status, text } = driveGet(sameNameQueryUrl(folderId, name));
  return readSameNameAnswer(status, text);
}

/**
 * Makes the subfolder `name` of `parentId` ('root': My Drive) by ONE Drive API files.create request and
 * returns its id. Not blindly repeated (a create is not idempotent): a 429 made nothing and is sent again;
 * after a 5xx or a network failure, which may have made it, the folder is looked up first.
 * https://developers.google.com/workspace/drive/api/guides/folder
 */
export function createSubfolder(parentId: string, name: string): string {
  let last = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    let status = 0;
    let text = '';
    try {
      const response = UrlFetchApp.fetch(`${DRIVE_FILES_URL}?fields=id`, {
        method: 'post',
        contentType: 'application/json',
        payload: JSON.stringify({ name, mimeType: 'application/vnd.google-apps.folder', parents: [parentId] }),
        headers: { Authorization: `Bearer ${scriptToken()}` },
        muteHttpExceptions: true,
      });
      status = response.getResponseCode();
      text = response.getContentText();
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      text = errorMessage(error);
    }
    if (status >= 200 && status < 300) {
      const id = (JSON.parse(text) as { id?: unknown }).id;
      if (typeof id === 'string' && id) return id;
    }
    last = `HTTP ${status}: ${text.slice(0, 200)}`;
    if (status >= 400 && status < 500 && status !== 429) break;
    if (status !== 429) {
      const found = findSubfolderId(parentId, name);
      if (found) return found;
    }
  }
  throw new Error(`Drive files.create (folder ${name}): ${last}`);
}

/** A file's content as text (files.get alt=media, read again on a transient failure); null when Drive has no such file. */
export function downloadText(id: string): string | null {
  const { status, text } = driveGet(`${DRIVE_FILES_URL}/${encodeURIComponent(id)}?alt=media`);
  if (status === 404) return null;
  if (status < 200 || status >= 300) throw new Error(`Drive files.get (media): HTTP ${status}: ${text.slice(0, 200)}`);
  return text;
}

/**
 * Replaces a file's content by ONE Drive API files.update (uploadType=media). The same content sent
 * again changes nothing, so a failure that may have gone through is simply sent again (up to 3 tries).
 * https://developers.google.com/workspace/drive/api/reference/rest/v3/files/update
 */
export function replaceContent(id: string, text: string, mimeType: string): void {
  let last = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    let status = 0;
    try {
      const response = UrlFetchApp.fetch(`${DRIVE_UPLOAD_FILES_URL}/${encodeURIComponent(id)}?uploadType=media&fields=id`, {
        method: 'patch',
        contentType: mimeType,
        payload: text,
        headers: { Authorization: `Bearer ${scriptToken()}` },
        muteHttpExceptions: true,
      });
      status = response.getResponseCode();
      last = `HTTP ${status}: ${response.getContentText().slice(0, 200)}`;
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      last = errorMessage(error);
    }
    if (status >= 200 && status < 300) return;
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) break;
  }
  throw new Error(`Drive files.update (media): ${last}`);
}
