// Adapter: the Send job's attachments over Drive. A reference is a Drive file id, a Drive URL (the id is
// taken from it) or a file name in the configured attachments folder (an id or a path such as
// "Postroom/invoices" from My Drive). Planning needs only a file's facts (name, size, type: local
// properties of a File that DriveApp fetched), so `resolve` never downloads. Names are found by listing
// the folder once per execution, lazily (folder.getFiles), not by one search per row. An id that matches
// no file is tried as a name in the folder (a long name may look like an id).
// `loadAll` reads the bytes with the Drive API v3 (files.get `alt=media`) through UrlFetchApp.fetchAll
// and the script's OAuth token (the manifest's `drive` scope): READ_BATCH files per call, in parallel,
// for the latency of one download, where DriveApp's getBlob reads one file per call. Each file has its
// own outcome (a 404 or a 5xx fails only the rows that attach that file); a read that may work later
// (429, 5xx, no answer) is tried again within the call, up to 3 times (Utilities.sleep between: reads
// change nothing, so retrying is safe). Bytes are kept for the execution, least recently used dropped
// first past CACHE_LIMIT_BYTES, so a file attached to many rows (the terms and conditions PDF) is read
// once.
// https://developers.google.com/apps-script/reference/drive/drive-app#getFileById(String)
// https://developers.google.com/workspace/drive/api/guides/manage-downloads
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)
// https://developers.google.com/apps-script/reference/utilities/utilities#sleep(Integer)

import type { AttachmentResolution, ResolvedAttachment } from '../domain/send/plan';
import type { AttachmentRef } from '../domain/send/send-list';
import type { AttachmentSource, LoadOutcome, LoadedFile } from '../ports/send';
import { scriptToken } from './oauth';

const DRIVE_ID = /^[A-Za-z0-9_-]{25,}$/;
/** Bytes kept in memory for the execution; past this, the least recently used files are dropped. */
const CACHE_LIMIT_BYTES = 40_000_000;
/**
 * Downloads per fetchAll. Apps Script does not publish fetchAll's concurrency (reports put it around 10
 * to 20 requests at once); 20, as for uploads (drive-upload.ts), keeps one call near one round trip.
 */
export const READ_BATCH = 20;
export const DRIVE_FILES_URL = 'https://www.googleapis.com/drive/v3/files/';
/** Tries of a read that may work later (429, 5xx, no answer) within one loadAll, and the pause between. */
const READ_ATTEMPTS = 3;
const READ_RETRY_PAUSE_MS = 500;

function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}

/** The error a service throws once the execution is over: nothing can run any more, so it propagates. */
function isExecutionOver(error: unknown): boolean {
  return /Exceeded maximum execution time|Execution killed/i.test(messageOf(error));
}

/** Google's error message from a JSON error body, else the start of the text. */
function errorText(status: number, text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (parsed && typeof parsed.error?.message === 'string') return `HTTP ${status}: ${parsed.error.message}`;
  } catch {
    // not JSON: quoted as is below
  }
  return `HTTP ${status}: ${text.slice(0, 200)}`;
}

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
    loadAll(ids: readonly string[]): LoadOutcome[] {
      const outcomes = new Map<string, LoadOutcome>();
      const toRead: string[] = [];
      for (const id of ids) {
        if (outcomes.has(id)) continue;
        const cached = loaded.get(id);
        if (cached) {
          // Most recently used last: the first entries are the ones dropped when the cache is full.
          loaded.delete(id);
          loaded.set(id, cached);
          outcomes.set(id, { ok: true, file: cached });
        } else {
          outcomes.set(id, { ok: false, error: 'not read', retry: true });
          toRead.push(id);
        }
      }
      // A read changes nothing on Drive, so a read that may work later is tried again at once, up to
      // READ_ATTEMPTS times (a network failure fails a whole fetchAll: one bad request costs them all).
      let pending = toRead;
      for (let attempt = 1; attempt <= READ_ATTEMPTS && pending.length; attempt++) {
        if (attempt > 1) Utilities.sleep(READ_RETRY_PAUSE_MS * (attempt - 1));
        readBatches(pending, outcomes);
        pending = pending.filter((id) => {
          const outcome = outcomes.get(id) as LoadOutcome;
          return !outcome.ok && outcome.retry;
        });
      }
      return ids.map((id) => outcomes.get(id) as LoadOutcome);
    },
  };

  function readBatches(toRead: readonly string[], outcomes: Map<string, LoadOutcome>): void {
    for (let i = 0; i < toRead.length; i += READ_BATCH) {
      const batch = toRead.slice(i, i + READ_BATCH);
            const requests = batch.map(
        (id): GoogleAppsScript.URL_Fetch.URLFetchRequest => ({
          url: `${DRIVE_FILES_URL}${encodeURIComponent(id)}?alt=media`,
          method: 'get',
          headers: { Authorization: `Bearer ${scriptToken()}` },
          muteHttpExceptions: true,
        }),
      );
      let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
      try {
        responses = UrlFetchApp.fetchAll(requests);
      } catch (error) {
        if (isExecutionOver(error)) throw error;
        // A network failure fails the whole fetchAll: every read of the batch may be tried again.
        for (const id of batch) outcomes.set(id, { ok: false, error: `Drive: ${messageOf(error)}`, retry: true });
        continue;
      }
      batch.forEach((id, k) => outcomes.set(id, readReply(id, responses[k])));
    }
  }

  function readReply(id: string, response: GoogleAppsScript.URL_Fetch.HTTPResponse): LoadOutcome {
    const status = response.getResponseCode();
    const known = fileObjects.has(id) ? factsOf(fileObjects.get(id) as GoogleAppsScript.Drive.File) : null;
    if (status === 200) {
      const bytes = Uint8Array.from(response.getContent(), (b) => b & 0xff);
      const headers = response.getHeaders() as Record<string, unknown>;
      const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
      const file: LoadedFile = { id, name: known?.name ?? id, mimeType: (typeof type === 'string' && type.split(';')[0].trim()) || known?.mimeType || 'application/octet-stream', bytes };
      remember(file);
      return { ok: true, file };
    }
    const name = known?.name ?? id;
    if (status === 404) return { ok: false, error: `Attachment ${name} disappeared from Drive`, retry: false };
    const retry = status === 408 || status === 429 || status >= 500 || (status === 403 && /rate ?limit/i.test(response.getContentText()));
    return { ok: false, error: `Attachment ${name}: Drive ${errorText(status, response.getContentText())}`, retry };
  }

  function remember(file: LoadedFile): void {
    if (file.bytes.length > CACHE_LIMIT_BYTES) return;
    loaded.set(file.id, file);
    cachedBytes += file.bytes.length;
    for (const [id, old] of loaded) {
      if (cachedBytes <= CACHE_LIMIT_BYTES) break;
      loaded.delete(id);
      cachedBytes -= old.bytes.length;
    }
  }
}
