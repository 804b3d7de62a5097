// The emulated Drive API v3 (emulator/drive/drive-rest.ts) through the emulated UrlFetchApp: a
// multipart/related files.create stores the exact bytes in the DriveStore under its parent, answers the
// File resource (default fields or `fields`), refuses what Drive refuses with Google's JSON error bodies
// (401, 404 for a missing parent, 400 for a malformed body), is counted as Drive.REST.files.create,
// costs one upload's latency, and runs in parallel under fetchAll. files.get answers a file's metadata,
// or its exact bytes with alt=media (404 for a missing id, 401 without the token), counted as
// Drive.REST.files.get at one download's latency, in parallel under fetchAll.
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/get
// https://developers.google.com/workspace/drive/api/guides/manage-uploads#multipart
// https://developers.google.com/workspace/drive/api/guides/handle-errors

import { createHash } from 'node:crypto';
import { DriveStore } from '../../../emulator/drive/drive-store';
import { createDriveRestRoutes, parseMultipart } from '../../../emulator/drive/drive-rest';
import { latencyOf } from '../../../emulator/latency';
import {
  Accounting,
  Execution,
  ExecutionTerminated,
  FaultPlan,
  ServiceContext,
  VirtualClock,
  type FaultOptions,
} from '../../../emulator/runtime/execution';
import { Quotas } from '../../../emulator/runtime/quotas';
import { createUrlFetchApp } from '../../../emulator/services/url-fetch';
import { DRIVE_UPLOAD_URL, buildMultipartBody } from '../../../src/server/adapters/drive-upload';

const TOKEN = 'ya29.drive-test-token';
const UPLOAD = 'https://www.googleapis.com/upload/drive/v3/files?uploadType=multipart';
const auth = { Authorization: `Bearer ${TOKEN}` };

function makeDrive(faults: FaultOptions = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 8, 0, 0));
  const accounting = new Accounting();
  const ctx = new ServiceContext(clock, accounting, new FaultPlan(faults));
  const quotas = new Quotas(clock, { workspace: false });
  const store = new DriveStore(clock, { idSeed: 'drive-rest-test' });
  const UrlFetchApp = createUrlFetchApp(ctx, quotas, createDriveRestRoutes({ store, ctx, oauthToken: TOKEN }));
  const folder = store.createFolder('Postroom');
  const startExecution = () => {
    const execution = new Execution(1, 1, 'trigger', 'test', clock.now());
    ctx.execution = execution;
    return execution;
  };
  return { clock, accounting, ctx, store, UrlFetchApp, folder, startExecution };
}

/** Every byte value, so that nothing is decoded as text on the way. */
const BINARY = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + 3) % 256);

function multipart(boundary: string, metadata: unknown, media: Uint8Array, mediaHeaders = 'Content-Type: application/pdf'): Uint8Array {
  return new Uint8Array(
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(metadata)}\r\n--${boundary}\r\n${mediaHeaders}\r\n\r\n`,
        'utf8',
      ),
      Buffer.from(media),
      Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
    ]),
  );
}

function upload(
  payload: Uint8Array | number[],
  contentType = 'multipart/related; boundary=b0undary',
  url = UPLOAD,
  headers: Record<string, string> = auth,
): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  return {
    url,
    method: 'post',
    contentType,
    headers,
    payload: payload as unknown as GoogleAppsScript.URL_Fetch.Payload,
    muteHttpExceptions: true,
  };
}

const signed = (bytes: Uint8Array) => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('files.create, uploadType=multipart (drive/api/guides/manage-uploads#multipart)', () => {
  test('stores the exact bytes under the parent and answers {kind, id, name, mimeType}', () => {
    const { UrlFetchApp, store, folder, accounting } = makeDrive();
    const body = multipart('b0undary', { name: 'Facture é.pdf', parents: [folder.id], mimeType: 'application/pdf' }, BINARY);
    const response = UrlFetchApp.fetch(UPLOAD, upload(signed(body)));
    expect(response.getResponseCode()).toBe(200);
    const file = JSON.parse(response.getContentText());
    expect(file).toEqual({
      kind: 'drive#file',
      id: expect.stringMatching(/^[A-Za-z0-9_-]{33}$/),
      name: 'Facture é.pdf',
      mimeType: 'application/pdf',
    });
    const stored = store.get(file.id)!;
    expect(stored.parents).toEqual([folder.id]);
    expect(sha(stored.bytes)).toBe(sha(BINARY));
    expect(store.pathOf(file.id)).toBe('Postroom/Facture é.pdf');
    expect(accounting.total.calls['Drive.REST.files.create']).toBe(1);
    expect(accounting.total.calls['UrlFetchApp.fetch']).toBe(1);
  });

  test("takes the payload as unsigned bytes too, a quoted boundary, and the media part's type when the metadata has none", () => {
    const { UrlFetchApp, store, folder } = makeDrive();
    const body = multipart('quoted=b', { name: 'scan.png', parents: [folder.id] }, BINARY, 'Content-Type: image/png');
    const response = UrlFetchApp.fetch(UPLOAD, upload(body, 'multipart/related; boundary="quoted=b"'));
    expect(response.getResponseCode()).toBe(200);
    const file = JSON.parse(response.getContentText());
    expect(file.mimeType).toBe('image/png');
    expect(sha(store.get(file.id)!.bytes)).toBe(sha(BINARY));
  });

  test('a base64 media part is decoded; no parent means My Drive', () => {
    const { UrlFetchApp, store } = makeDrive();
    const body = multipart(
      'b0undary',
      { name: 'x.bin' },
      new Uint8Array(Buffer.from(Buffer.from(BINARY).toString('base64'))),
      'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64',
    );
    const file = JSON.parse(UrlFetchApp.fetch(UPLOAD, upload(body)).getContentText());
    expect(store.get(file.id)!.parents).toEqual([store.rootId]);
    expect(sha(store.get(file.id)!.bytes)).toBe(sha(BINARY));
  });

  test('fields selects the answer (size is an int64 string), an unknown field is a 400 and creates nothing', () => {
    const { UrlFetchApp, store, folder } = makeDrive();
    const body = multipart('b0undary', { name: 'a.pdf', parents: [folder.id], mimeType: 'application/pdf' }, BINARY);
    const file = JSON.parse(UrlFetchApp.fetch(`${UPLOAD}&fields=id,size,parents,sha256Checksum`, upload(body)).getContentText());
    expect(file).toEqual({ id: expect.any(String), size: '512', parents: [folder.id], sha256Checksum: sha(BINARY) });
    const before = store.all('file').length;
    const bad = UrlFetchApp.fetch(`${UPLOAD}&fields=id,owners`, upload(body));
    expect(bad.getResponseCode()).toBe(400);
    expect(JSON.parse(bad.getContentText()).error.errors[0]).toMatchObject({ reason: 'invalidParameter', location: 'fields' });
    expect(store.all('file')).toHaveLength(before);
  });

  test("costs one upload (DriveApp.Folder.createFile's latency); fetchAll of 5 uploads costs the slowest, not the sum", () => {
    const { UrlFetchApp, store, folder, clock, accounting } = makeDrive();
    const one = (n: number) => upload(multipart('b0undary', { name: `F-${n}.pdf`, parents: [folder.id] }, BINARY));
    let start = clock.now();
    UrlFetchApp.fetch(UPLOAD, one(0));
    expect(clock.now() - start).toBe(latencyOf('DriveApp.Folder.createFile'));
    start = clock.now();
    const responses = UrlFetchApp.fetchAll([1, 2, 3, 4, 5].map(one));
    expect(clock.now() - start).toBe(latencyOf('DriveApp.Folder.createFile'));
    expect(responses.map((r) => r.getResponseCode())).toEqual([200, 200, 200, 200, 200]);
    expect(store.children(folder.id, 'file').map((f) => f.name)).toEqual([
      'F-0.pdf',
      'F-1.pdf',
      'F-2.pdf',
      'F-3.pdf',
      'F-4.pdf',
      'F-5.pdf',
    ]);
    expect(accounting.total.calls['Drive.REST.files.create']).toBe(6);
    expect(accounting.total.calls['UrlFetchApp.fetchAll']).toBe(1);
  });
});

describe("the body Postroom's adapter builds (src/server/adapters/drive-upload.ts)", () => {
  test('is accepted as sent by the adapter: signed byte payload, its boundary, its fields', () => {
    const { UrlFetchApp, store, folder } = makeDrive();
    const { body, contentType } = buildMultipartBody({
      folderId: folder.id,
      name: 'Reçu 1.pdf',
      bytes: BINARY,
      mimeType: 'application/pdf',
    });
    const response = UrlFetchApp.fetch(DRIVE_UPLOAD_URL, upload(signed(body), contentType, DRIVE_UPLOAD_URL));
    expect(response.getResponseCode()).toBe(200);
    const file = JSON.parse(response.getContentText());
    expect(file).toEqual({ id: expect.any(String), name: 'Reçu 1.pdf', mimeType: 'application/pdf' });
    expect(store.pathOf(file.id)).toBe('Postroom/Reçu 1.pdf');
    expect(sha(store.get(file.id)!.bytes)).toBe(sha(BINARY));
  });
});

describe('errors in Google JSON (drive/api/guides/handle-errors)', () => {
  test('401 without a token and with a wrong one; nothing is created', () => {
    const { UrlFetchApp, store, folder } = makeDrive();
    const body = multipart('b0undary', { name: 'a.pdf', parents: [folder.id] }, BINARY);
    const missing = UrlFetchApp.fetch(UPLOAD, upload(body, undefined, UPLOAD, {}));
    expect(missing.getResponseCode()).toBe(401);
    expect(JSON.parse(missing.getContentText()).error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      errors: [{ reason: 'required', location: 'Authorization' }],
    });
    const wrong = UrlFetchApp.fetch(UPLOAD, upload(body, undefined, UPLOAD, { Authorization: 'Bearer nope' }));
    expect(wrong.getResponseCode()).toBe(401);
    expect(JSON.parse(wrong.getContentText()).error.errors[0]).toMatchObject({ reason: 'authError', message: 'Invalid Credentials' });
    expect(store.all('file')).toHaveLength(0);
  });

  test('404 "File not found: <id>." for a parent that does not exist (or is a file)', () => {
    const { UrlFetchApp, store, folder } = makeDrive();
    const response = UrlFetchApp.fetch(UPLOAD, upload(multipart('b0undary', { name: 'a.pdf', parents: ['1nope'] }, BINARY)));
    expect(response.getResponseCode()).toBe(404);
    expect(JSON.parse(response.getContentText())).toEqual({
      error: {
        code: 404,
        message: 'File not found: 1nope.',
        errors: [
          { message: 'File not found: 1nope.', domain: 'global', reason: 'notFound', location: 'fileId', locationType: 'parameter' },
        ],
      },
    });
    const aFile = store.createFile('f.txt', new Uint8Array([1]), 'text/plain', folder.id);
    expect(UrlFetchApp.fetch(UPLOAD, upload(multipart('b0undary', { name: 'a.pdf', parents: [aFile.id] }, BINARY))).getResponseCode()).toBe(
      404,
    );
    expect(store.all('file')).toHaveLength(1);
  });

  test.each([
    ['a body that is not multipart/related', 'application/pdf', (b: Uint8Array) => b, 'Bad content type. Please use multipart.'],
    [
      'no end boundary',
      undefined,
      (b: Uint8Array) => b.subarray(0, b.length - '--\r\n'.length - 'b0undary'.length - 4),
      'Missing end boundary in multipart body.',
    ],
    [
      'one part only',
      undefined,
      () => new Uint8Array(Buffer.from('--b0undary\r\nContent-Type: application/json\r\n\r\n{"name":"a"}\r\n--b0undary--\r\n')),
      'Malformed multipart body.',
    ],
    [
      'metadata that is not JSON',
      undefined,
      () =>
        new Uint8Array(
          Buffer.from(
            '--b0undary\r\nContent-Type: application/json\r\n\r\n{name:\r\n--b0undary\r\nContent-Type: text/plain\r\n\r\nx\r\n--b0undary--\r\n',
          ),
        ),
      'Parse Error',
    ],
  ])('400 for %s; nothing is created', (_, contentType, mangle, message) => {
    const { UrlFetchApp, store, folder } = makeDrive();
    const body = mangle(multipart('b0undary', { name: 'a.pdf', parents: [folder.id] }, BINARY));
    const response = UrlFetchApp.fetch(UPLOAD, upload(body, contentType));
    expect(response.getResponseCode()).toBe(400);
    expect(JSON.parse(response.getContentText()).error).toMatchObject({ code: 400, message });
    expect(store.all('file')).toHaveLength(0);
  });

  test('another uploadType is refused as not emulated; another path is 404', () => {
    const { UrlFetchApp, folder } = makeDrive();
    const body = multipart('b0undary', { name: 'a.pdf', parents: [folder.id] }, BINARY);
    const media = UrlFetchApp.fetch('https://www.googleapis.com/upload/drive/v3/files?uploadType=resumable', upload(body));
    expect(media.getResponseCode()).toBe(400);
    expect(JSON.parse(media.getContentText()).error.message).toMatch(/^Not emulated: uploadType=resumable/);
    expect(UrlFetchApp.fetch('https://www.googleapis.com/upload/drive/v3/about', upload(body)).getResponseCode()).toBe(404);
  });
});

describe("faults and kills are the UrlFetchApp layer's, per request", () => {
  const eight = (folderId: string) =>
    Array.from({ length: 8 }, (_, n) => upload(multipart('b0undary', { name: `F-${n}.pdf`, parents: [folderId] }, BINARY)));

  test('an HTTP fault (429, 5xx) on an upload creates nothing; the other uploads of the fetchAll are created', () => {
    // Seed 7 at rate 0.3: the 1st request gets a 429 and the 7th a 503 (FaultPlan draws in request order).
    const { UrlFetchApp, store, folder } = makeDrive({ seed: 7, rate: 0.3 });
    const responses = UrlFetchApp.fetchAll(eight(folder.id));
    expect(responses.map((r) => r.getResponseCode())).toEqual([429, 200, 200, 200, 200, 200, 503, 200]);
    expect(store.children(folder.id, 'file').map((f) => f.name)).toEqual([
      'F-1.pdf',
      'F-2.pdf',
      'F-3.pdf',
      'F-4.pdf',
      'F-5.pdf',
      'F-7.pdf',
    ]);
  });

  test('a network error on one upload fails the whole fetchAll, yet the other uploads reached Drive', () => {
    // Seed 26 at rate 0.3: the 4th request fails at the network level.
    const { UrlFetchApp, store, folder } = makeDrive({ seed: 26, rate: 0.3 });
    expect(() => UrlFetchApp.fetchAll(eight(folder.id))).toThrow(
      /^Address unavailable: https:\/\/www\.googleapis\.com\/upload\/drive\/v3\/files/,
    );
    expect(store.children(folder.id, 'file').map((f) => f.name)).toEqual([
      'F-0.pdf',
      'F-1.pdf',
      'F-2.pdf',
      'F-4.pdf',
      'F-5.pdf',
      'F-6.pdf',
      'F-7.pdf',
    ]);
  });

  test('killed at the fetchAll, a subset of the uploads still lands in Drive, unseen by the script', () => {
    const { UrlFetchApp, store, folder, startExecution, ctx } = makeDrive({ seed: 9, killEvery: 1 });
    startExecution();
    const requests = Array.from({ length: 12 }, (_, n) =>
      upload(multipart('b0undary', { name: `F-${n}.pdf`, parents: [folder.id] }, BINARY)),
    );
    expect(() => UrlFetchApp.fetchAll(requests)).toThrow(ExecutionTerminated);
    const created = store.children(folder.id, 'file').length;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(12);
    expect(ctx.execution?.terminated).toBeTruthy();
  });
});

describe('files.get (drive/api/reference/rest/v3/files/get, guides/manage-downloads)', () => {
  const FILES = 'https://www.googleapis.com/drive/v3/files/';
  const get = (id: string, query = '?alt=media', headers: Record<string, string> = auth): GoogleAppsScript.URL_Fetch.URLFetchRequest => ({
    url: `${FILES}${encodeURIComponent(id)}${query}`,
    method: 'get',
    headers,
    muteHttpExceptions: true,
  });

  test("alt=media answers the exact bytes with the file's Content-Type, signed in getContent as Apps Script gives them", () => {
    const { UrlFetchApp, store, folder, accounting } = makeDrive();
    const file = store.createFile('Facture é.pdf', BINARY, 'application/pdf', folder.id);
    const response = UrlFetchApp.fetch(get(file.id).url, get(file.id));
    expect(response.getResponseCode()).toBe(200);
    expect(response.getHeaders()).toMatchObject({ 'Content-Type': 'application/pdf' });
    const content = response.getContent();
    expect(content).toEqual(signed(BINARY));
    expect(sha(Uint8Array.from(content, (b) => b & 0xff))).toBe(sha(BINARY));
    expect(accounting.total.calls['Drive.REST.files.get']).toBe(1);
  });

  test('without alt=media: the File resource, default fields or `fields`; a trashed file is still found by id', () => {
    const { UrlFetchApp, store, folder } = makeDrive();
    const file = store.createFile('a.pdf', BINARY, 'application/pdf', folder.id);
    const plain = UrlFetchApp.fetch(`${FILES}${file.id}`, get(file.id, ''));
    expect(JSON.parse(plain.getContentText())).toEqual({ kind: 'drive#file', id: file.id, name: 'a.pdf', mimeType: 'application/pdf' });
    file.trashed = true;
    const chosen = UrlFetchApp.fetch(`${FILES}${file.id}?fields=id,size,trashed`, get(file.id, '?fields=id,size,trashed'));
    expect(JSON.parse(chosen.getContentText())).toEqual({ id: file.id, size: String(BINARY.length), trashed: true });
  });

  test('404 "File not found: <id>." for an unknown id; 403 fileNotDownloadable for a folder\'s media; 401 without the token', () => {
    const { UrlFetchApp, folder, accounting } = makeDrive();
    const missing = UrlFetchApp.fetch(`${FILES}nope?alt=media`, get('nope'));
    expect(missing.getResponseCode()).toBe(404);
    expect(JSON.parse(missing.getContentText()).error).toMatchObject({
      code: 404,
      message: 'File not found: nope.',
      errors: [{ reason: 'notFound', location: 'fileId' }],
    });
    const ofFolder = UrlFetchApp.fetch(`${FILES}${folder.id}?alt=media`, get(folder.id));
    expect(ofFolder.getResponseCode()).toBe(403);
    expect(JSON.parse(ofFolder.getContentText()).error.errors[0].reason).toBe('fileNotDownloadable');
    const anonymous = UrlFetchApp.fetch(`${FILES}${folder.id}?alt=media`, get(folder.id, '?alt=media', {}));
    expect(anonymous.getResponseCode()).toBe(401);
    const wrongPath = UrlFetchApp.fetch(`${FILES}${folder.id}/children`, get(`${folder.id}/children`, ''));
    expect(wrongPath.getResponseCode()).toBe(404);
    expect(accounting.total.calls['Drive.REST.files.get']).toBe(2);
  });

  test('without muteHttpExceptions a 404 throws Apps Script\'s "Request failed" error', () => {
    const { UrlFetchApp } = makeDrive();
    expect(() => UrlFetchApp.fetch(`${FILES}nope?alt=media`, { headers: auth })).toThrow(
      /^Request failed for https:\/\/www\.googleapis\.com\/drive\/v3\/files\/nope returned code 404/,
    );
  });

  test("costs one download (DriveApp.File.getBlob's latency); fetchAll of 20 downloads costs the slowest, not the sum", () => {
    const { UrlFetchApp, store, folder, clock, accounting } = makeDrive();
    const files = Array.from({ length: 20 }, (_, n) =>
      store.createFile(`F-${n}.pdf`, Uint8Array.of(n, 255 - n), 'application/pdf', folder.id),
    );
    let start = clock.now();
    UrlFetchApp.fetch(get(files[0].id).url, get(files[0].id));
    expect(clock.now() - start).toBe(latencyOf('DriveApp.File.getBlob'));
    start = clock.now();
    const responses = UrlFetchApp.fetchAll(files.map((f) => get(f.id)));
    expect(clock.now() - start).toBe(latencyOf('DriveApp.File.getBlob'));
    expect(responses.map((r) => Array.from(r.getContent(), (b) => b & 0xff))).toEqual(files.map((_, n) => [n, 255 - n]));
    expect(accounting.total.calls['Drive.REST.files.get']).toBe(21);
    expect(accounting.total.calls['UrlFetchApp.fetchAll']).toBe(1);
  });

  test('an HTTP fault answers one download without touching the others', () => {
    // Same draws as the upload fault test: seed 7 at rate 0.3 faults the 1st (429) and 7th (503) request.
    const { UrlFetchApp, store, folder } = makeDrive({ seed: 7, rate: 0.3 });
    const files = Array.from({ length: 8 }, (_, n) => store.createFile(`F-${n}.pdf`, Uint8Array.of(n), 'application/pdf', folder.id));
    const responses = UrlFetchApp.fetchAll(files.map((f) => get(f.id)));
    expect(responses.map((r) => r.getResponseCode())).toEqual([429, 200, 200, 200, 200, 200, 503, 200]);
  });
});

describe('parseMultipart (RFC 2046 §5.1)', () => {
  test('a boundary string inside a part that is not at the start of a line is content', () => {
    const media = new Uint8Array(Buffer.from('abc--b0undary def'));
    const parts = parseMultipart(multipart('b0undary', { name: 'a' }, media), 'b0undary');
    expect(parts).toHaveLength(2);
    expect(Buffer.from(parts[1].content).toString()).toBe('abc--b0undary def');
    expect(parts[1].headers['content-type']).toBe('application/pdf');
  });
});
