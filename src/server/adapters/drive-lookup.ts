// Adapter: the files of a folder that bear a name, with their size and Drive's own SHA-256 of their
// content (Drive API v3 files.list, `sha256Checksum`), in ONE request through UrlFetchApp with the
// script's token: a careful probe (is the file of an upload in doubt already there?) learns whether a
// file holds these bytes without downloading and hashing them (DriveApp needs about eight calls).
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list
// https://developers.google.com/workspace/drive/api/guides/ref-search-terms

import type { StoredFile } from '../ports/files';
import { scriptToken } from './oauth';

export const DRIVE_FILES_URL = 'https://www.googleapis.com/drive/v3/files';

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

export function findFilesWithSha256(folderId: string, name: string): Array<StoredFile & { sha256: string }> {
  const response = UrlFetchApp.fetch(sameNameQueryUrl(folderId, name), {
    method: 'get',
    headers: { Authorization: `Bearer ${scriptToken()}` },
    muteHttpExceptions: true,
  });
  return readSameNameAnswer(response.getResponseCode(), response.getContentText());
}
