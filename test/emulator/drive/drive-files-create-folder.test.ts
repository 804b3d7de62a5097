// The emulated Drive API v3 files.create without media (emulator/drive/drive-rest.ts) through the
// emulated UrlFetchApp: a folder made in My Drive ('root') or in a parent by one JSON request, found
// by files.list afterwards; 404 for an unknown parent, 401 without the token; counted as
// Drive.REST.files.create.metadata (apart from uploads).
// https://developers.google.com/workspace/drive/api/guides/folder

import { DriveStore } from '../../../emulator/drive/drive-store';
import { createDriveRestRoutes } from '../../../emulator/drive/drive-rest';
import { Accounting, Execution, FaultPlan, ServiceContext, VirtualClock } from '../../../emulator/runtime/execution';
import { Quotas } from '../../../emulator/runtime/quotas';
import { createUrlFetchApp } from '../../../emulator/services/url-fetch';

const TOKEN = 'ya29.folder-test-token';
const FOLDER_MIME = 'application/vnd.google-apps.folder';

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 8, 0, 0));
  const accounting = new Accounting();
  const ctx = new ServiceContext(clock, accounting, new FaultPlan({}));
  const store = new DriveStore(clock, { idSeed: 'create-folder-test' });
  const UrlFetchApp = createUrlFetchApp(
    ctx,
    new Quotas(clock, { workspace: false }),
    createDriveRestRoutes({ store, ctx, oauthToken: TOKEN }),
  );
  ctx.execution = new Execution(1, 1, 'trigger', 'test', clock.now());
  const create = (body: Record<string, unknown>, token = TOKEN) => {
    const response = UrlFetchApp.fetch('https://www.googleapis.com/drive/v3/files?fields=id,name,mimeType', {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify(body),
      headers: { Authorization: `Bearer ${token}` },
      muteHttpExceptions: true,
    });
    return { status: response.getResponseCode(), json: JSON.parse(response.getContentText()) };
  };
  return { accounting, store, create };
}

describe('Drive files.create of a folder (emulated)', () => {
  it('makes a folder in My Drive, then one inside it, each by one request', () => {
    const { store, create, accounting } = setup();
    const top = create({ name: 'Postroom', mimeType: FOLDER_MIME, parents: ['root'] });
    expect(top.status).toBe(200);
    expect(top.json).toEqual({ id: expect.any(String), name: 'Postroom', mimeType: FOLDER_MIME });
    const inner = create({ name: 'incoming', mimeType: FOLDER_MIME, parents: [top.json.id] });
    expect(inner.status).toBe(200);
    const item = store.get(inner.json.id)!;
    expect(item.kind).toBe('folder');
    expect(item.parents).toEqual([top.json.id]);
    expect(store.get(top.json.id)!.parents).toEqual([store.rootId]);
    expect(accounting.total.calls['Drive.REST.files.create.metadata']).toBe(2);
    expect(accounting.total.calls['Drive.REST.files.create'] ?? 0).toBe(0);
  });

  it('answers 404 for a parent that does not exist and 401 without the token, making nothing', () => {
    const { store, create } = setup();
    const before = store.all('folder').length;
    expect(create({ name: 'x', mimeType: FOLDER_MIME, parents: ['no-such-id'] }).status).toBe(404);
    expect(create({ name: 'x', mimeType: FOLDER_MIME, parents: ['root'] }, 'wrong').status).toBe(401);
    expect(store.all('folder').length).toBe(before);
  });
});
