// Adapter: the Send job's attachments over Drive. A reference is a Drive file id, a Drive URL (the id is
// taken from it) or a file name in the configured attachments folder (an id or a path such as
// "Postroom/invoices" from My Drive). Planning needs only a file's facts (name, size, type: local
// as the listing gives them), so `resolve` never downloads. Names are found by listing the folder with
// the Drive API's files.list through UrlFetchApp (1,000 files a call, fields limited to id, name, size
// and type), once per execution and only as far as needed, not by one search per row: the cost per row
// stays flat however long the list. A folder path is found with one files.list per part. An id that
// matches no file is tried as a name in the folder (a long name may look like an id).
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list
// `loadAll` reads the bytes with the Drive API v3 (files.get `alt=media`) through UrlFetchApp.fetchAll
// and the script's OAuth token (the manifest's `drive` scope): READ_BATCH files per call, in parallel,
// for the latency of one download, where DriveApp's getBlob reads one file per call. Each file has its
// own outcome (a 404 or a 5xx fails only the rows that attach that file); a read that may work later
// (429, 5xx, no answer) is tried again within the call, up to 3 times (at once the first time unless
// Drive asked to slow down, then after a Utilities.sleep: reads change nothing, so retrying is safe). Bytes are kept for the execution, least recently used dropped
// first past CACHE_LIMIT_BYTES, so a file attached to many rows (the terms and conditions PDF) is read
// once.
// https://developers.google.com/apps-script/reference/drive/drive-app#getFileById(String)
// https://developers.google.com/workspace/drive/api/guides/manage-downloads
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)
// https://developers.google.com/apps-script/reference/utilities/utilities#sleep(Integer)

import type { AttachmentResolution, ResolvedAttachment } from '../domain/send/plan';
import type { AttachmentRef } from '../domain/send/send-list';
import type { AttachmentSource, LoadOutcome, LoadedFile } from '../ports/send';
import { errorMessage, isExecutionOver, PostroomError } from '../domain/errors';
import { scriptToken } from './oauth';
import { DRIVE_FILES_URL, driveGet, driveQueryString, filesListUrl } from './drive-lookup';
import { fetchJoined, takeAhead } from './fetch-ahead';

const DRIVE_ID = /^[A-Za-z0-9_-]{25,}$/;
/** Bytes kept in memory for the execution; past this, the least recently used files are dropped. */
const CACHE_LIMIT_BYTES = 40_000_000;
/**
 * Downloads per fetchAll. Apps Script does not publish fetchAll's concurrency (reports put it around 10
 * to 20 requests at once); 20, as for uploads (drive-upload.ts), keeps one call near one round trip.
 */
export const READ_BATCH = 20;
/** Tries of a read that may work later (429, 5xx, no answer) within one loadAll or listing, and the pause between. */
const READ_ATTEMPTS = 3;
const READ_RETRY_PAUSE_MS = 500;
/** A failed read whose answer asks to slow down (its error text: Drive's status and words). */
const RATE_LIMITED = /HTTP 429|rate ?limit/i;
/** files.list: the most a page may hold, and the only fields read. */
const LIST_PAGE_SIZE = 1000;
const LIST_FIELDS = 'nextPageToken,files(id,name,size,mimeType)';
const FOLDER_MIME = 'application/vnd.google-apps.folder';

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

/** A folder's files by name, filled page by page from the Drive API's files.list, as far as needed. */
interface FolderIndex {
  id: string;
  byName: Map<string, ResolvedAttachment>;
  nextPageToken: string | null;
  done: boolean;
}

/**
 * Where the folder ids found are kept between executions (optional): `known` gives the id last found
 * for a setting, `remember` keeps a new one (or the same one, walked again: its check's time). A kept
 * id is only a shortcut: a name not found in its folder makes the path be walked again (a folder
 * deleted or replaced since), and the id found kept — unless the path was walked to that id less than
 * FOLDER_CHECK_FRESH_MS ago (`checkedRecently`): a start cut short and done again, or the next
 * execution, does not walk it again for the same missing name (a walk is one call per path part).
 */
export interface FolderMemory {
  known(setting: string): string | null;
  remember(setting: string, id: string): void;
  checkedRecently?(setting: string): boolean;
  /** Whether the send's rows use attachment patterns over this folder (its tree is listed: drive-tree.ts), and to note it once. */
  treeUsed?(setting: string): boolean;
  noteTreeUsed?(setting: string): void;
}

/** How long a walk of the path that found the kept folder again spares the next walks. */
export const FOLDER_CHECK_FRESH_MS = 10 * 60_000;

/** The files.list URL of one page of a folder's children matching `extra`. */
function listingUrl(parentId: string, extra: string, pageToken: string | null, pageSize: number): string {
  return filesListUrl(`${driveQueryString(parentId)} in parents and trashed = false and ${extra}`, pageSize, LIST_FIELDS, pageToken);
}

/** The request of the first page of the attachments folder's files, as `resolve` asks for it (to ask it ahead). */
export function folderFilesRequest(folderId: string): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  return {
    url: listingUrl(folderId, `mimeType != '${FOLDER_MIME}'`, null, LIST_PAGE_SIZE),
    method: 'get',
    headers: { Authorization: `Bearer ${scriptToken()}` },
    muteHttpExceptions: true,
  };
}

/**
 * One page of a listing of the attachments folder: asked ahead with the execution's first fetchAll, or
 * fetched now (a read that may work later tried again). Throws TRANSIENT when Drive cannot answer.
 */
export function listingPage<T>(url: string): { files: T[]; nextPageToken: string | null } {
  const early = takeAhead(url);
  const reply =
    early && early.getResponseCode() === 200
      ? { status: 200, json: JSON.parse(early.getContentText()) as unknown, text: '' }
      : driveGet(url, READ_RETRY_PAUSE_MS);
  if (reply.status !== 200)
    throw new PostroomError('TRANSIENT', `Drive: listing the attachments folder failed (${errorText(reply.status, reply.text)})`);
  const json = (reply.json ?? {}) as { files?: T[]; nextPageToken?: string };
  return { files: json.files ?? [], nextPageToken: json.nextPageToken ?? null };
}

export function driveAttachmentSource(memory: FolderMemory | null = null): AttachmentSource {
  const loaded = new Map<string, LoadedFile>();
  const known = new Map<string, ResolvedAttachment>();
  const folders = new Map<string, FolderIndex | null>();
  let cachedBytes = 0;

  /** Files (or folders) of a folder, one page of files.list. Throws when Drive cannot answer. */
  function listPage(
    parentId: string,
    extra: string,
    pageToken: string | null,
    pageSize: number,
  ): { files: Array<Record<string, string>>; nextPageToken: string | null } {
    return listingPage<Record<string, string>>(listingUrl(parentId, extra, pageToken, pageSize));
  }

  function factsOfResource(file: Record<string, string>): ResolvedAttachment {
    const facts = {
      id: String(file.id),
      name: String(file.name),
      size: Number(file.size ?? 0),
      mimeType: file.mimeType || 'application/octet-stream',
    };
    known.set(facts.id, facts);
    return facts;
  }

  function folderIdOf(setting: string): string | null {
    if (DRIVE_ID.test(setting)) {
      try {
        return DriveApp.getFolderById(setting).getId();
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    let current = 'root';
    for (const part of setting
      .split('/')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const page = listPage(current, `mimeType = '${FOLDER_MIME}' and name = ${driveQueryString(part)}`, null, 1);
      if (!page.files.length) return null;
      current = String(page.files[0].id);
    }
    return current;
  }

  /** Settings whose folder id came from the memory and has not been checked by a walk of the path. */
  const fromMemory = new Set<string>();

  function folderOf(setting: string): FolderIndex | null {
    if (folders.has(setting)) return folders.get(setting) ?? null;
    const kept = memory?.known(setting) ?? null;
    const id = kept ?? folderIdOf(setting);
    // A kept id is checked by a walk when a name is missing from its folder, unless one just did.
    if (kept) {
      if (!memory?.checkedRecently?.(setting)) fromMemory.add(setting);
    } else if (id) memory?.remember(setting, id);
    const index = id ? { id, byName: new Map<string, ResolvedAttachment>(), nextPageToken: null, done: false } : null;
    folders.set(setting, index);
    return index;
  }

  /** The folder found by walking the path again replaces the kept one (for this execution and the next). */
  function replaceFolder(setting: string, id: string): string {
    memory?.remember(setting, id);
    folders.set(setting, { id, byName: new Map<string, ResolvedAttachment>(), nextPageToken: null, done: false });
    return setting;
  }

  /**
   * A file by name in the folder: the folder is listed once, page by page as far as needed (1,000
   * files a call, id / name / size / type only), so N rows cost N / 1,000 calls, not N searches. Of two
   * files with the same name, the first listed is taken.
   */
  function findByName(name: string, folderSetting: string): ResolvedAttachment | null {
    const index = folderOf(folderSetting);
    if (!index) return null;
    for (;;) {
      const hit = index.byName.get(name);
      if (!hit && index.done && fromMemory.delete(folderSetting)) {
        // Not in the kept folder: it may have been replaced since; the path is walked again (and the
        // walk noted, the folder found the same: see FolderMemory).
        const id = folderIdOf(folderSetting);
        if (id && id !== index.id) return findByName(name, replaceFolder(folderSetting, id));
        if (id) memory?.remember(folderSetting, id);
      }
      if (hit || index.done) return hit ?? null;
      let page: ReturnType<typeof listPage>;
      try {
        page = listPage(index.id, `mimeType != '${FOLDER_MIME}'`, index.nextPageToken, LIST_PAGE_SIZE);
      } catch (error) {
        // A kept folder Drive no longer lists (deleted for good): the path is walked again.
        if (isExecutionOver(error) || !fromMemory.delete(folderSetting)) throw error;
        const id = folderIdOf(folderSetting);
        if (!id || id === index.id) throw error;
        return findByName(name, replaceFolder(folderSetting, id));
      }
      for (const file of page.files) if (!index.byName.has(String(file.name))) index.byName.set(String(file.name), factsOfResource(file));
      index.nextPageToken = page.nextPageToken;
      index.done = !page.nextPageToken;
    }
  }

  function findById(id: string): ResolvedAttachment | null {
    const cached = known.get(id);
    if (cached) return cached;
    try {
      const file = DriveApp.getFileById(id);
      const facts = {
        id: file.getId(),
        name: file.getName(),
        size: file.getSize(),
        mimeType: file.getMimeType() || 'application/octet-stream',
      };
      known.set(facts.id, facts);
      return facts;
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
        if (file) found.push(file);
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
      // A read changes nothing on Drive, so a read that may work later is tried again within the
      // call, up to READ_ATTEMPTS times (a network failure fails a whole fetchAll: one bad request costs
      // them all): the first time at once unless Drive asked to slow down (429 / rate limit), then
      // after a pause.
      let pending = toRead;
      let slowDown = false;
      for (let attempt = 1; attempt <= READ_ATTEMPTS && pending.length; attempt++) {
        if (attempt > 2 || slowDown) Utilities.sleep(READ_RETRY_PAUSE_MS * (attempt - 1));
        readBatches(pending, outcomes);
        pending = pending.filter((id) => {
          const outcome = outcomes.get(id) as LoadOutcome;
          return !outcome.ok && outcome.retry;
        });
        slowDown = pending.some((id) => RATE_LIMITED.test((outcomes.get(id) as { error: string }).error));
      }
      return ids.map((id) => outcomes.get(id) as LoadOutcome);
    },
  };

  function readBatches(toRead: readonly string[], outcomes: Map<string, LoadOutcome>): void {
    for (let i = 0; i < toRead.length; i += READ_BATCH) {
      const batch = toRead.slice(i, i + READ_BATCH);
      const requests = batch.map((id): GoogleAppsScript.URL_Fetch.URLFetchRequest => ({
        url: `${DRIVE_FILES_URL}/${encodeURIComponent(id)}?alt=media`,
        method: 'get',
        headers: { Authorization: `Bearer ${scriptToken()}` },
        muteHttpExceptions: true,
      }));
      let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
      try {
        // A write waiting to ride (the group's intent) goes out with the burst's files: one call.
        responses = fetchJoined(requests);
      } catch (error) {
        if (isExecutionOver(error)) throw error;
        // A network failure fails the whole fetchAll: every read of the batch may be tried again.
        for (const id of batch) outcomes.set(id, { ok: false, error: `Drive: ${errorMessage(error)}`, retry: true });
        continue;
      }
      batch.forEach((id, k) => outcomes.set(id, readReply(id, responses[k])));
    }
  }

  function readReply(id: string, response: GoogleAppsScript.URL_Fetch.HTTPResponse): LoadOutcome {
    const status = response.getResponseCode();
    const facts = known.get(id) ?? null;
    if (status === 200) {
      const bytes = Uint8Array.from(response.getContent(), (b) => b & 0xff);
      const headers = response.getHeaders() as Record<string, unknown>;
      const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
      const file: LoadedFile = {
        id,
        name: facts?.name ?? id,
        mimeType: (typeof type === 'string' && type.split(';')[0].trim()) || facts?.mimeType || 'application/octet-stream',
        bytes,
      };
      remember(file);
      return { ok: true, file };
    }
    const name = facts?.name ?? id;
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
