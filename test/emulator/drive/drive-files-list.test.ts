// The emulated Drive API v3 files.list (emulator/drive/drive-rest.ts) through the emulated UrlFetchApp:
// the files of a folder page by page (pageSize, pageToken), `fields` limited, folders told apart by
// mimeType, a name query, trashed files left out, 400 for a query the emulator does not know, 401
// without the token, counted as Drive.REST.files.list.
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list

import { DriveStore } from '../../../emulator/drive/drive-store';
import { createDriveRestRoutes } from '../../../emulator/drive/drive-rest';
import { Accounting, Execution, FaultPlan, ServiceContext, VirtualClock } from '../../../emulator/runtime/execution';
import { Quotas } from '../../../emulator/runtime/quotas';
import { createUrlFetchApp } from '../../../emulator/services/url-fetch';

const TOKEN = 'ya29.list-test-token';
const FOLDER_MIME = 'application/vnd.google-apps.folder';

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 8, 0, 0));
  const accounting = new Accounting();
  const ctx = new ServiceContext(clock, accounting, new FaultPlan({}));
  const store = new DriveStore(clock, { idSeed: 'files-list-test' });
  const UrlFetchApp = createUrlFetchApp(
    ctx,
    new Quotas(clock, { workspace: false }),
    createDriveRestRoutes({ store, ctx, oauthToken: TOKEN }),
  );
  ctx.execution = new Execution(1, 1, 'trigger', 'test', clock.now());
  const postroom = store.createFolder('Postroom');
  const invoices = store.createFolder('Factures', postroom.id);
  for (let i = 1; i <= 5; i++) store.createFile(`F${i}.pdf`, new Uint8Array(i), 'application/pdf', invoices.id);
  store.createFolder('archive', invoices.id);
  store.createFile('old.pdf', new Uint8Array(1), 'application/pdf', invoices.id).trashed = true;
  const list = (params: Record<string, string | number>, token = TOKEN) => {
    const query = Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&');
    const response = UrlFetchApp.fetch(`https://www.googleapis.com/drive/v3/files?${query}`, {
      headers: { Authorization: `Bearer ${token}` },
      muteHttpExceptions: true,
    });
    return { status: response.getResponseCode(), json: JSON.parse(response.getContentText()) };
  };
  return { accounting, store, postroom, invoices, list };
}

describe('Drive files.list (emulated)', () => {
  it('pages through a folder’s files with the fields asked for, folders and trashed files left out', () => {
    const { invoices, list, accounting } = setup();
    const q = `'${invoices.id}' in parents and trashed = false and mimeType != '${FOLDER_MIME}'`;
    const first = list({ q, pageSize: 3, fields: 'nextPageToken,files(id,name,size,mimeType)' });
    expect(first.status).toBe(200);
    expect(first.json.files.map((f: { name: string }) => f.name)).toEqual(['F1.pdf', 'F2.pdf', 'F3.pdf']);
    expect(first.json.files[1]).toEqual({ id: expect.any(String), name: 'F2.pdf', size: '2', mimeType: 'application/pdf' });
    const second = list({ q, pageSize: 3, pageToken: first.json.nextPageToken, fields: 'nextPageToken,files(id,name,size,mimeType)' });
    expect(second.json.files.map((f: { name: string }) => f.name)).toEqual(['F4.pdf', 'F5.pdf']);
    expect(second.json.nextPageToken).toBeUndefined();
    expect(accounting.total.calls['Drive.REST.files.list']).toBe(2);
  });

  it('finds a folder by name under My Drive (root) and under a parent', () => {
    const { postroom, invoices, list } = setup();
    const top = list({
      q: `'root' in parents and mimeType = '${FOLDER_MIME}' and name = 'Postroom' and trashed = false`,
      fields: 'files(id,name)',
    });
    expect(top.json.files).toEqual([{ id: postroom.id, name: 'Postroom' }]);
    const child = list({ q: `'${postroom.id}' in parents and mimeType = '${FOLDER_MIME}' and name = 'Factures'`, fields: 'files(id)' });
    expect(child.json.files).toEqual([{ id: invoices.id }]);
    expect(list({ q: `'root' in parents and name = 'Nope'`, fields: 'files(id)' }).json.files).toEqual([]);
  });

  it('refuses a query it does not emulate, a bad field and a missing token', () => {
    const { list } = setup();
    expect(list({ q: `name contains 'F'` }).status).toBe(400);
    expect(list({ q: `trashed = false`, fields: 'files(colour)' }).status).toBe(400);
    expect(list({ q: `trashed = false` }, 'wrong').status).toBe(401);
  });
});
