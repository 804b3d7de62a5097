// Adapter: parallel file uploads to Drive with the Drive API v3 multipart upload (files.create,
// `uploadType=multipart`) sent through UrlFetchApp.fetchAll with the script's own OAuth token (the
// manifest's `drive` and `script.external_request` scopes). DriveApp's Folder.createFile uploads one
// file per call; fetchAll sends a batch at once, for the latency of one.
//
// An upload is NOT idempotent: Drive allows same-name files, so sending it again after an unclear
// outcome may make a copy. Each item's outcome is therefore reported, never retried here: created
// (with the new file's id), refused (a 4xx: Drive created nothing), or in doubt (`maybeCreated`: a 5xx,
// a 408, a network failure, a 2xx without a readable id): the caller must look before uploading again.
// A network failure of ONE request makes fetchAll throw for the whole batch (Apps Script does not say
// which request failed), so every item of that batch is in doubt.
// https://developers.google.com/workspace/drive/api/guides/manage-uploads#multipart
// https://developers.google.com/workspace/drive/api/guides/handle-errors
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)

import { toSignedBytes, utf8Encode } from '../domain/encoding';
import { errorMessage, isExecutionOver } from '../domain/errors';
import { scriptToken } from './oauth';
import { localizedError } from '../domain/errors';
import { translateServer } from '../domain/server-messages';

export const DRIVE_UPLOAD_URL = 'https://www.googleapis.com/upload/drive/v3/files?uploadType=multipart&fields=id,name,mimeType';

/**
 * Largest file sent as a multipart upload: Drive's guide gives multipart "for small files (5 MB or
 * less)" and resumable uploads above. Larger files go through DriveApp (see drive.ts createFiles).
 */
export const MULTIPART_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Requests per fetchAll. Apps Script does not publish fetchAll's concurrency (reports put it around 10
 * to 20 requests at once); 20 keeps one fetchAll close to one round trip while bounding how many
 * uploads a single network failure puts in doubt.
 */
export const UPLOAD_BATCH_FILES = 20;

/**
 * Bytes per fetchAll. The payloads are JavaScript arrays of numbers (UrlFetchApp takes byte[]), several
 * bytes of memory per byte of file, all alive until fetchAll returns; 20 MB of files stays well inside
 * an execution's memory, and each request stays under UrlFetch's 50 MB per-request limit (quotas page).
 */
export const UPLOAD_BATCH_BYTES = 20 * 1024 * 1024;

export interface UploadItem {
  folderId: string;
  name: string;
  bytes: Uint8Array;
  mimeType: string;
}

export type UploadOutcome =
  { ok: true; id: string; name: string; mimeType: string } | { ok: false; error: string; status: number; maybeCreated: boolean };

// ---------------------------------------------------------------------------------------------
// The multipart/related body (RFC 2387): the JSON metadata part, then the media part.

const CRLF = '\r\n';

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** True when `needle` occurs in `haystack`. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const last = haystack.length - needle.length;
  for (let i = 0; i <= last; i++) {
    if (haystack[i] !== needle[0]) continue;
    let k = 1;
    while (k < needle.length && haystack[i + k] === needle[k]) k++;
    if (k === needle.length) return true;
  }
  return false;
}

/** A boundary (RFC 2046 bchars, ≤ 70) that occurs in none of `contents`; `random` in [0, 1). */
export function chooseBoundary(contents: readonly Uint8Array[], random: () => number = Math.random): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    let tail = '';
    for (let i = 0; i < 24; i++) tail += Math.floor(random() * 16).toString(16);
    const boundary = `postroom_${tail}`;
    const bytes = utf8Encode(boundary);
    if (!contents.some((content) => containsBytes(content, bytes))) return boundary;
  }
  throw localizedError('INTERNAL', translateServer, 'drive.noBoundary');
}

/** A header value without line breaks (a MIME type that came from an email must not add headers). */
function safeMimeType(mimeType: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : 'application/octet-stream';
}

/** The request body and its Content-Type for one file. */
export function buildMultipartBody(item: UploadItem, random: () => number = Math.random): { body: Uint8Array; contentType: string } {
  const mimeType = safeMimeType(item.mimeType);
  const metadata = utf8Encode(JSON.stringify({ name: item.name, parents: [item.folderId], mimeType }));
  const boundary = chooseBoundary([metadata, item.bytes], random);
  const body = concat([
    utf8Encode(`--${boundary}${CRLF}Content-Type: application/json; charset=UTF-8${CRLF}${CRLF}`),
    metadata,
    utf8Encode(`${CRLF}--${boundary}${CRLF}Content-Type: ${mimeType}${CRLF}${CRLF}`),
    item.bytes,
    utf8Encode(`${CRLF}--${boundary}--${CRLF}`),
  ]);
  return { body, contentType: `multipart/related; boundary=${boundary}` };
}

// ---------------------------------------------------------------------------------------------
// Batches and outcomes

/** Consecutive index ranges of at most `maxFiles` items and `maxBytes` bytes (a bigger item goes alone). */
export function planBatches(sizes: readonly number[], maxFiles = UPLOAD_BATCH_FILES, maxBytes = UPLOAD_BATCH_BYTES): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (current.length && (current.length >= maxFiles || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length) batches.push(current);
  return batches;
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

/**
 * One HTTP answer as an outcome. A 4xx (bad request, auth, missing parent, rate limit) means Drive
 * did not create the file; a 408 or a 5xx leaves it open (the upload may have been stored before the
 * error); so does a 2xx whose body has no id.
 */
export function readUploadReply(status: number, text: string): UploadOutcome {
  if (status >= 200 && status < 300) {
    try {
      const file = JSON.parse(text) as { id?: unknown; name?: unknown; mimeType?: unknown };
      if (typeof file.id === 'string' && file.id) {
        return { ok: true, id: file.id, name: String(file.name ?? ''), mimeType: String(file.mimeType ?? '') };
      }
    } catch {
      // no readable id: in doubt, below
    }
    return { ok: false, status, error: `HTTP ${status} without a file id`, maybeCreated: true };
  }
  return { ok: false, status, error: errorText(status, text), maybeCreated: status >= 500 || status === 408 || status < 200 };
}

/**
 * Uploads the files in parallel, `UPLOAD_BATCH_FILES` / `UPLOAD_BATCH_BYTES` per fetchAll, and returns
 * one outcome per item, in order. Never retries. Items over MULTIPART_MAX_BYTES are the caller's.
 */
/** The request of one multipart upload (files.create), for UrlFetchApp. */
export function multipartUploadRequest(item: UploadItem): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  const { body, contentType } = buildMultipartBody(item);
  return {
    url: DRIVE_UPLOAD_URL,
    method: 'post',
    contentType,
    headers: { Authorization: `Bearer ${scriptToken()}` },
    // Apps Script takes bytes as Java byte[]: signed values.
    payload: toSignedBytes(body) as unknown as GoogleAppsScript.URL_Fetch.Payload,
    muteHttpExceptions: true,
  };
}

export function uploadFiles(items: readonly UploadItem[]): UploadOutcome[] {
  const outcomes: UploadOutcome[] = new Array(items.length);
  if (!items.length) return outcomes;
  for (const batch of planBatches(items.map((item) => item.bytes.length))) {
    const requests = batch.map((index) => multipartUploadRequest(items[index]));
    let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
    try {
      responses = UrlFetchApp.fetchAll(requests);
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      // Some of the batch may have reached Drive: every item is in doubt.
      const reason = errorMessage(error);
      for (const index of batch) outcomes[index] = { ok: false, status: 0, error: reason, maybeCreated: true };
      continue;
    }
    batch.forEach((index, k) => {
      outcomes[index] = readUploadReply(responses[k].getResponseCode(), responses[k].getContentText());
    });
  }
  return outcomes;
}
