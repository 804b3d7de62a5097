// The Drive API v3 as UrlFetchApp routes over the workspace's DriveStore:
// - files.create, `POST https://www.googleapis.com/upload/drive/v3/files?uploadType=multipart`: a
//   `multipart/related` body of exactly two parts (JSON metadata {name, parents, mimeType, description},
//   then the media bytes, raw or Content-Transfer-Encoding base64). It answers the File resource ({kind,
//   id, name, mimeType} by default, or the `fields` asked for). Counted as "Drive.REST.files.create", it
//   costs the latency of DriveApp.Folder.createFile (the same upload).
// - files.get, `GET https://www.googleapis.com/drive/v3/files/<id>`: the File resource (default fields or
//   `fields`), or with `alt=media` the file's bytes with its Content-Type. Counted as
//   "Drive.REST.files.get", it costs the latency of DriveApp.File.getBlob (the same download).
// - files.list, `GET https://www.googleapis.com/drive/v3/files?q=…`: one page (pageSize, default 100,
//   at most 1,000; pageToken) of the files a query selects, in creation order, with `fields` such as
//   "nextPageToken,files(id,name,size,mimeType)". The query grammar emulated is the conjunction
//   (` and `) of `'<id>' in parents` ('root' = My Drive), `trashed = true|false`, `name = '<name>'`,
//   `mimeType = | != '<type>'` and a parenthesised ` or ` of such terms; anything else is 400 "Invalid
//   Value" (location q). Counted as
//   "Drive.REST.files.list", it costs the latency of one DriveApp round trip.
// - files.create without media, `POST https://www.googleapis.com/drive/v3/files`: a JSON body {name,
//   mimeType, parents}; with the folder type it makes a folder (any other type: an empty file). Counted
//   as "Drive.REST.files.create.metadata" (apart from uploads), at the latency of DriveApp.Folder.createFolder.
// All answer Google's JSON error bodies: 401 without or with a wrong bearer token, 404 "File not
// found: <id>." for a missing file or parent, 400 for a body that is not a well-formed multipart upload,
// 403 fileNotDownloadable for the media of a folder. fetchAll runs several requests in parallel.
// Transient faults and the requests a kill still delivers are applied by url-fetch.ts, per request.
// https://developers.google.com/workspace/drive/api/guides/manage-uploads#multipart
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/create
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/get
// https://developers.google.com/workspace/drive/api/guides/manage-downloads
// https://developers.google.com/workspace/drive/api/guides/handle-errors

import { createHash } from 'node:crypto';
import { latencyOf } from '../latency';
import type { ServiceContext } from '../runtime/execution';
import type { Route, RouteRequest, RouteResponse, Routes } from '../services/url-fetch';
import type { DriveItem, DriveStore } from './drive-store';
import { checkBearer, jsonResponse } from '../services/google-api';

/** The URL prefix this route is mounted on (createUrlFetchApp matches routes by prefix). */
export const DRIVE_UPLOAD_PREFIX = 'https://www.googleapis.com/upload/drive/';
/** The URL prefix of the metadata and download endpoint (files.get). */
export const DRIVE_API_PREFIX = 'https://www.googleapis.com/drive/';
const FILES_PATH = '/upload/drive/v3/files';
const FILE_GET_PATH = /^\/drive\/v3\/files\/([^/]+)$/;
const FILES_LIST_PATH = '/drive/v3/files';
const FOLDER_MIME_TYPE = 'application/vnd.google-apps.folder';
const LIST_DEFAULT_PAGE = 100;
const LIST_MAX_PAGE = 1000;

/** A Drive API error with Google's JSON body ({error: {code, message, errors: [...]}}). */
export class DriveApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly location?: { location: string; locationType: 'parameter' | 'header' },
  ) {
    super(message);
  }

  toResponse(): RouteResponse {
    return jsonResponse(this.code, {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.reason, ...(this.location ?? {}) }],
      },
    });
  }
}

/** Google's 404 for a path (or method) the API does not have. */
function pathNotFound(): RouteResponse {
  return jsonResponse(404, {
    error: { code: 404, message: 'Not Found', errors: [{ message: 'Not Found', domain: 'global', reason: 'notFound' }] },
  });
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === lower)?.[1];
}

// ---------------------------------------------------------------------------------------------
// multipart/related (RFC 2387 over RFC 2046 §5.1)

export interface BodyPart {
  headers: Record<string, string>;
  content: Uint8Array;
}

const malformed = () => new DriveApiError(400, 'Malformed multipart body.', 'badRequest');

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let i = from; i <= last; i++) {
    if (haystack[i] !== first) continue;
    let k = 1;
    while (k < needle.length && haystack[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/** The boundary parameter of a multipart/related Content-Type, or null for any other type. */
export function relatedBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^\s*multipart\/related\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/**
 * The body parts between `--boundary` delimiter lines (each at the start of the body or after a line
 * break), up to the closing `--boundary--`. Throws Drive's 400 for a missing end boundary or a part
 * without its header block.
 */
export function parseMultipart(body: Uint8Array, boundary: string): BodyPart[] {
  const delimiter = new Uint8Array(Buffer.from(`--${boundary}`, 'latin1'));
  const starts: number[] = [];
  let at = 0;
  for (;;) {
    const found = indexOf(body, delimiter, at);
    if (found < 0) break;
    if (found === 0 || body[found - 1] === 0x0a) starts.push(found);
    at = found + delimiter.length;
  }
  if (starts.length === 0) throw malformed();
  const parts: BodyPart[] = [];
  for (let n = 0; n < starts.length; n++) {
    const after = starts[n] + delimiter.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) return parts; // the closing delimiter
    if (n === starts.length - 1) break;
    let start = after;
    while (body[start] === 0x20 || body[start] === 0x09) start++; // transport padding
    if (body[start] === 0x0d) start++;
    if (body[start] !== 0x0a) throw malformed();
    start++;
    // The line break before the next delimiter belongs to the delimiter.
    let end = starts[n + 1] - 1;
    if (end > start && body[end - 1] === 0x0d) end--;
    parts.push(splitPart(body.subarray(start, Math.max(start, end))));
  }
  throw new DriveApiError(400, 'Missing end boundary in multipart body.', 'badRequest');
}

function splitPart(part: Uint8Array): BodyPart {
  // Headers end at the first empty line (CRLF CRLF, or LF LF); a part may have no headers at all.
  let headerEnd = -1;
  let contentStart = 0;
  if (part[0] === 0x0d && part[1] === 0x0a) contentStart = 2;
  else if (part[0] === 0x0a) contentStart = 1;
  else {
    for (let i = 0; i < part.length - 1; i++) {
      if (part[i] === 0x0a && part[i + 1] === 0x0a) {
        headerEnd = i;
        contentStart = i + 2;
        break;
      }
      if (part[i] === 0x0a && part[i + 1] === 0x0d && part[i + 2] === 0x0a) {
        headerEnd = i;
        contentStart = i + 3;
        break;
      }
    }
    if (headerEnd < 0) throw malformed();
  }
  const headers: Record<string, string> = {};
  const text = headerEnd < 0 ? '' : Buffer.from(part.subarray(0, headerEnd)).toString('latin1');
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed();
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, content: part.subarray(contentStart) };
}

// ---------------------------------------------------------------------------------------------
// files.create

interface FileMetadata {
  name: string;
  parents: string[];
  mimeType: string | null;
  description: string | null;
}

function parseMetadata(part: BodyPart): FileMetadata {
  const type = part.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new DriveApiError(400, `The metadata part must be application/json, not "${type || '(none)'}".`, 'badRequest');
  }
  const text = Buffer.from(part.content).toString('utf8').trim();
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new DriveApiError(400, 'Parse Error', 'parseError');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DriveApiError(400, 'Parse Error', 'parseError');
  const record = value as Record<string, unknown>;
  const invalid = (field: string) =>
    new DriveApiError(400, `Invalid value for ${field}`, 'invalid', { location: field, locationType: 'parameter' });
  if (record.name !== undefined && typeof record.name !== 'string') throw invalid('name');
  if (record.mimeType !== undefined && typeof record.mimeType !== 'string') throw invalid('mimeType');
  if (record.description !== undefined && typeof record.description !== 'string') throw invalid('description');
  if (record.parents !== undefined && (!Array.isArray(record.parents) || !record.parents.every((p) => typeof p === 'string')))
    throw invalid('parents');
  return {
    name: (record.name as string | undefined) ?? 'Untitled',
    parents: (record.parents as string[] | undefined) ?? [],
    mimeType: (record.mimeType as string | undefined) || null,
    description: (record.description as string | undefined) ?? null,
  };
}

function mediaBytes(part: BodyPart): Uint8Array {
  const encoding = (part.headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'base64') return new Uint8Array(Buffer.from(Buffer.from(part.content).toString('latin1').replace(/\s+/g, ''), 'base64'));
  if (encoding && !['binary', '8bit', '7bit'].includes(encoding))
    throw new DriveApiError(400, `Unsupported Content-Transfer-Encoding: ${encoding}`, 'badRequest');
  return new Uint8Array(part.content);
}

/** The File resource fields this route can answer (files.create's `fields`); sizes are strings (int64). */
function fileResource(item: DriveItem): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    kind: 'drive#file',
    id: item.id,
    name: item.name,
    mimeType: item.mimeType,
    parents: [...item.parents],
    size: String(item.bytes.length),
    md5Checksum: createHash('md5').update(item.bytes).digest('hex'),
    sha256Checksum: createHash('sha256').update(item.bytes).digest('hex'),
    createdTime: iso(item.createdAt),
    modifiedTime: iso(item.updatedAt),
    trashed: item.trashed,
    description: item.description ?? undefined,
    webViewLink: `https://drive.google.com/file/d/${item.id}/view?usp=drivesdk`,
    webContentLink: `https://drive.google.com/uc?id=${item.id}&export=download`,
  };
}

const SUPPORTED_FIELDS = [
  'kind',
  'id',
  'name',
  'mimeType',
  'parents',
  'size',
  'md5Checksum',
  'sha256Checksum',
  'createdTime',
  'modifiedTime',
  'trashed',
  'description',
  'webViewLink',
  'webContentLink',
];

const DEFAULT_FIELDS = ['kind', 'id', 'name', 'mimeType'];

/** The `fields` of a request as a flat list ("id,name,size" or "*"; no nested selections); throws for an unknown one. */
function parseFields(fields: string | null): string[] {
  if (fields === null) return DEFAULT_FIELDS;
  const wanted = fields
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  if (wanted.includes('*')) return SUPPORTED_FIELDS;
  for (const field of wanted) {
    if (!SUPPORTED_FIELDS.includes(field)) {
      throw new DriveApiError(400, `Invalid field selection ${field}`, 'invalidParameter', {
        location: 'fields',
        locationType: 'parameter',
      });
    }
  }
  return wanted;
}

function selectFields(resource: Record<string, unknown>, wanted: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(wanted.filter((field) => resource[field] !== undefined).map((field) => [field, resource[field]]));
}

export interface DriveRestDeps {
  store: DriveStore;
  ctx: ServiceContext;
  /** What ScriptApp.getOAuthToken() returns: the only bearer token accepted. */
  oauthToken: string;
}

/** One Drive request: a DriveApiError becomes Drive's error answer; the request is counted either way. */
function answer(ctx: ServiceContext, method: string, work: () => RouteResponse): RouteResponse {
  try {
    return work();
  } catch (error) {
    if (error instanceof DriveApiError) return error.toResponse();
    throw error;
  } finally {
    ctx.accounting.count(ctx.execution, method, 0, 0);
  }
}

/** The UrlFetchApp route of the Drive upload endpoint: one HTTP request in, one response out. */
export function createDriveRestRoute(deps: DriveRestDeps): Route {
  const { store, ctx } = deps;

  const isFilesCreate = (request: RouteRequest): boolean => request.method === 'POST' && new URL(request.url).pathname === FILES_PATH;

  function createFile(request: RouteRequest, params: URLSearchParams): RouteResponse {
    const uploadType = params.get('uploadType');
    if (uploadType !== 'multipart') {
      throw new DriveApiError(400, `Not emulated: uploadType=${uploadType ?? '(none)'}; use uploadType=multipart`, 'badRequest', {
        location: 'uploadType',
        locationType: 'parameter',
      });
    }
    const boundary = relatedBoundary(header(request.headers, 'Content-Type'));
    if (!boundary) throw new DriveApiError(400, 'Bad content type. Please use multipart.', 'badContent');
    const parts = parseMultipart(request.payload, boundary);
    if (parts.length !== 2) throw malformed();
    const metadata = parseMetadata(parts[0]);
    const bytes = mediaBytes(parts[1]);
    if (metadata.parents.length > 1) throw new DriveApiError(403, 'Increasing the number of parents is not allowed.', 'cannotAddParent');
    const parentId = metadata.parents[0] ?? store.rootId;
    const parent = store.get(parentId);
    if (!parent || parent.kind !== 'folder') {
      // Drive says the same for an id that does not exist and for one the user cannot see.
      throw new DriveApiError(404, `File not found: ${parentId}.`, 'notFound', { location: 'fileId', locationType: 'parameter' });
    }
    const mimeType = metadata.mimeType ?? parts[1].headers['content-type']?.split(';')[0].trim() ?? 'application/octet-stream';
    // Checked before anything is created: a bad selection creates no file.
    const fields = parseFields(params.get('fields'));
    const item = store.createFile(metadata.name, bytes, mimeType || 'application/octet-stream', parent.id);
    if (metadata.description !== null) item.description = metadata.description;
    return jsonResponse(200, selectFields(fileResource(item), fields));
  }

  /** files.update of the content only (`PATCH …/upload/drive/v3/files/<id>?uploadType=media`): the body is the new bytes. */
  function updateMedia(id: string, request: RouteRequest, params: URLSearchParams): RouteResponse {
    if (params.get('uploadType') !== 'media') {
      throw new DriveApiError(400, `Not emulated: uploadType=${params.get('uploadType') ?? '(none)'}; use uploadType=media`, 'badRequest', {
        location: 'uploadType',
        locationType: 'parameter',
      });
    }
    const item = store.get(id);
    if (!item || item.kind !== 'file')
      throw new DriveApiError(404, `File not found: ${id}.`, 'notFound', { location: 'fileId', locationType: 'parameter' });
    const fields = parseFields(params.get('fields'));
    item.bytes = new Uint8Array(request.payload);
    store.touch(item);
    return jsonResponse(200, selectFields(fileResource(item), fields));
  }

  const handle = (request: RouteRequest): RouteResponse => {
    const denied = checkBearer(request.headers, deps.oauthToken);
    if (denied) return denied;
    const updated = fileUpdateId(request);
    if (updated !== null)
      return answer(ctx, 'Drive.REST.files.update', () => updateMedia(updated, request, new URL(request.url).searchParams));
    if (!isFilesCreate(request)) return pathNotFound();
    return answer(ctx, 'Drive.REST.files.create', () => createFile(request, new URL(request.url).searchParams));
  };

  /** An upload costs what DriveApp's upload costs (emulator/latency.ts); fetchAll pays its slowest. */
  const latencyMs = (request: RouteRequest): number =>
    latencyOf(
      isFilesCreate(request)
        ? 'DriveApp.Folder.createFile'
        : fileUpdateId(request) !== null
          ? 'DriveApp.File.setContent'
          : 'UrlFetchApp.fetch',
    );

  return { handle, latencyMs };
}

/** The id of a content update (`PATCH /upload/drive/v3/files/<id>`), or null for any other request. */
function fileUpdateId(request: RouteRequest): string | null {
  if (request.method !== 'PATCH') return null;
  const match = /^\/upload\/drive\/v3\/files\/([^/]+)$/.exec(new URL(request.url).pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

/** The id of a files.get request (`GET /drive/v3/files/<id>`), or null for any other request. */
function fileGetId(request: RouteRequest): string | null {
  if (request.method !== 'GET') return null;
  const match = FILE_GET_PATH.exec(new URL(request.url).pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// files.list

type ListTerm = (item: DriveItem) => boolean;

const invalidQuery = () => new DriveApiError(400, 'Invalid Value', 'invalid', { location: 'q', locationType: 'parameter' });

/** One term of the emulated query grammar as a predicate. */
function parseTerm(term: string, rootId: string): ListTerm {
  // A parenthesised disjunction of terms: "('a' in parents or 'b' in parents)".
  const group = /^\((.*)\)$/.exec(term);
  if (group) {
    const alternatives = group[1].split(/\s+or\s+/i).map((t) => parseTerm(t.trim(), rootId));
    return (item) => alternatives.some((alternative) => alternative(item));
  }
  const unquote = (text: string) => text.replace(/\\'/g, "'").replace(/\\\\/g, '\\');
  let m = /^'((?:[^'\\]|\\.)*)'\s+in\s+parents$/i.exec(term);
  if (m) {
    const id = unquote(m[1]) === 'root' ? rootId : unquote(m[1]);
    return (item) => item.parents.includes(id);
  }
  m = /^trashed\s*=\s*(true|false)$/i.exec(term);
  if (m) {
    const trashed = m[1].toLowerCase() === 'true';
    return (item) => item.trashed === trashed;
  }
  m = /^name\s*=\s*'((?:[^'\\]|\\.)*)'$/i.exec(term);
  if (m) {
    const name = unquote(m[1]);
    return (item) => item.name === name;
  }
  m = /^mimeType\s*(!?=)\s*'((?:[^'\\]|\\.)*)'$/i.exec(term);
  if (m) {
    const [, op, type] = m;
    const isFolder = (item: DriveItem) => item.kind === 'folder';
    const typeOf = (item: DriveItem) => (isFolder(item) ? 'application/vnd.google-apps.folder' : item.mimeType);
    return op === '=' ? (item) => typeOf(item) === type : (item) => typeOf(item) !== type;
  }
  throw invalidQuery();
}

/** `files(id,name)` and `nextPageToken` of a files.list `fields`; null = Drive's default file fields. */
function parseListFields(fields: string | null): { file: string[]; nextPageToken: boolean } {
  if (fields === null) return { file: DEFAULT_FIELDS, nextPageToken: true };
  const m = /files\(([^)]*)\)/.exec(fields);
  const rest = fields
    .replace(/files\([^)]*\)/, '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const field of rest) if (!['nextPageToken', 'kind', 'incompleteSearch', 'files'].includes(field)) parseFields(field);
  return { file: m ? parseFields(m[1]) : rest.includes('files') ? SUPPORTED_FIELDS : [], nextPageToken: rest.includes('nextPageToken') };
}

function listFiles(store: DriveStore, params: URLSearchParams): RouteResponse {
  const q = (params.get('q') ?? '').trim();
  const terms = q ? q.split(/\s+and\s+/i).map((t) => parseTerm(t.trim(), store.rootId)) : [];
  const size = Number(params.get('pageSize') ?? LIST_DEFAULT_PAGE);
  if (!Number.isInteger(size) || size < 1)
    throw new DriveApiError(400, 'Invalid value for pageSize', 'invalid', { location: 'pageSize', locationType: 'parameter' });
  const pageSize = Math.min(size, LIST_MAX_PAGE);
  const token = params.get('pageToken');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0)
    throw new DriveApiError(400, 'Invalid Value', 'invalid', { location: 'pageToken', locationType: 'parameter' });
  const fields = parseListFields(params.get('fields'));
  const items = [...store.all('file', { includeTrashed: true }), ...store.all('folder', { includeTrashed: true })]
    .filter((item) => item.id !== store.rootId && terms.every((term) => term(item)))
    .sort((a, b) => a.createdAt - b.createdAt);
  const page = items.slice(offset, offset + pageSize);
  const files = page.map((item) => {
    const resource =
      item.kind === 'file'
        ? fileResource(item)
        : { ...fileResource(item), mimeType: 'application/vnd.google-apps.folder', size: undefined };
    return selectFields(resource, fields.file);
  });
  const next = offset + pageSize < items.length ? Buffer.from(String(offset + pageSize), 'utf8').toString('base64url') : undefined;
  return jsonResponse(200, { ...(fields.nextPageToken && next ? { nextPageToken: next } : {}), files });
}

/**
 * The UrlFetchApp route of the metadata / download endpoint: files.get by id, the File resource or,
 * with `alt=media`, the bytes. A trashed file is still found by id (as in Drive); a folder's media is
 * 403 fileNotDownloadable. Any other path or method under /drive/ is 404.
 */
export function createDriveApiRoute(deps: DriveRestDeps): Route {
  const { store, ctx } = deps;

  function getFile(id: string, params: URLSearchParams): RouteResponse {
    const item = store.get(id);
    if (!item) throw new DriveApiError(404, `File not found: ${id}.`, 'notFound', { location: 'fileId', locationType: 'parameter' });
    const alt = params.get('alt') ?? 'json';
    if (alt === 'media') {
      if (item.kind !== 'file') {
        throw new DriveApiError(
          403,
          'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
          'fileNotDownloadable',
          { location: 'alt', locationType: 'parameter' },
        );
      }
      return {
        status: 200,
        headers: { 'Content-Type': item.mimeType, 'Content-Length': String(item.bytes.length) },
        body: new Uint8Array(item.bytes),
      };
    }
    if (alt !== 'json')
      throw new DriveApiError(400, `Invalid value for alt: ${alt}`, 'invalidParameter', { location: 'alt', locationType: 'parameter' });
    const resource =
      item.kind === 'file'
        ? fileResource(item)
        : { ...fileResource(item), size: undefined, md5Checksum: undefined, sha256Checksum: undefined, webContentLink: undefined };
    return jsonResponse(200, selectFields(resource, parseFields(params.get('fields'))));
  }

  /** files.create with metadata only (no media): a folder, or an empty file of that type. */
  function createFromMetadata(request: RouteRequest, params: URLSearchParams): RouteResponse {
    const metadata = parseMetadata({
      headers: { 'content-type': header(request.headers, 'Content-Type') ?? '' },
      content: request.payload,
    });
    if (metadata.parents.length > 1) throw new DriveApiError(403, 'Increasing the number of parents is not allowed.', 'cannotAddParent');
    const given = metadata.parents[0] ?? 'root';
    const parentId = given === 'root' ? store.rootId : given;
    const parent = store.get(parentId);
    if (!parent || parent.kind !== 'folder')
      throw new DriveApiError(404, `File not found: ${given}.`, 'notFound', { location: 'fileId', locationType: 'parameter' });
    const fields = parseFields(params.get('fields'));
    if (metadata.mimeType === FOLDER_MIME_TYPE) {
      const folder = store.createFolder(metadata.name, parent.id);
      return jsonResponse(200, selectFields({ ...fileResource(folder), mimeType: FOLDER_MIME_TYPE, size: undefined }, fields));
    }
    const item = store.createFile(metadata.name, new Uint8Array(0), metadata.mimeType ?? 'application/octet-stream', parent.id);
    return jsonResponse(200, selectFields(fileResource(item), fields));
  }

  const handle = (request: RouteRequest): RouteResponse => {
    const denied = checkBearer(request.headers, deps.oauthToken);
    if (denied) return denied;
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === FILES_LIST_PATH) {
      return answer(ctx, 'Drive.REST.files.create.metadata', () => createFromMetadata(request, url.searchParams));
    }
    if (request.method === 'GET' && url.pathname === FILES_LIST_PATH) {
      return answer(ctx, 'Drive.REST.files.list', () => listFiles(store, url.searchParams));
    }
    const id = fileGetId(request);
    if (id === null) return pathNotFound();
    return answer(ctx, 'Drive.REST.files.get', () => getFile(id, url.searchParams));
  };

  /** A download costs what DriveApp's getBlob costs, a folder made what createFolder costs (emulator/latency.ts); fetchAll pays its slowest. */
  const latencyMs = (request: RouteRequest): number =>
    latencyOf(
      fileGetId(request) !== null
        ? 'DriveApp.File.getBlob'
        : request.method === 'POST'
          ? 'DriveApp.Folder.createFolder'
          : 'UrlFetchApp.fetch',
    );

  return { handle, latencyMs };
}

/** The routes mounted on their prefixes, ready to spread into createUrlFetchApp's routes. */
export function createDriveRestRoutes(deps: DriveRestDeps): Routes {
  return { [DRIVE_UPLOAD_PREFIX]: createDriveRestRoute(deps), [DRIVE_API_PREFIX]: createDriveApiRoute(deps) };
}
