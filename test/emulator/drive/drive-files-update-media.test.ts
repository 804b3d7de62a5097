// The emulated Drive API v3 files.update of a file's content (emulator/drive/drive-rest.ts,
// `PATCH …/upload/drive/v3/files/<id>?uploadType=media`) through the emulated UrlFetchApp: the body
// replaces the bytes (name, type and parents unchanged), then files.get alt=media reads them back; 404
// for an unknown id or a folder, 400 for another upload type, 401 without the token; counted as
// Drive.REST.files.update.
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files/update

import { DriveStore } from '../../../emulator/drive/drive-store';
import { createDriveRestRoutes } from '../../../emulator/drive/drive-rest';
import { Accounting, Execution, FaultPlan, ServiceContext, VirtualClock } from '../../../emulator/runtime/execution';
import { Quotas } from '../../../emulator/runtime/quotas';
import { createUrlFetchApp } from '../../../emulator/services/url-fetch';

const TOKEN = 'ya29.update-test-token';

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 8, 0, 0));
  const accounting = new Accounting();
  const ctx = new ServiceContext(clock, accounting, new FaultPlan({}));
  const store = new DriveStore(clock, { idSeed: 'update-media-test' });
  const UrlFetchApp = createUrlFetchApp(
    ctx,
    new Quotas(clock, { workspace: false }),
    createDriveRestRoutes({ store, ctx, oauthToken: TOKEN }),
  );
  ctx.execution = new Execution(1, 1, 'trigger', 'test', clock.now());
  const update = (id: string, text: string, uploadType = 'media', token = TOKEN) =>
    UrlFetchApp.fetch(`https://www.googleapis.com/upload/drive/v3/files/${id}?uploadType=${uploadType}&fields=id,name,size`, {
      method: 'patch',
      contentType: 'application/x-ndjson',
      payload: text,
      headers: { Authorization: `Bearer ${token}` },
      muteHttpExceptions: true,
    });
  const download = (id: string) =>
    UrlFetchApp.fetch(`https://www.googleapis.com/drive/v3/files/${id}?alt=media`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
      muteHttpExceptions: true,
    });
  return { accounting, store, update, download };
}

describe('Drive files.update of the content (emulated)', () => {
  it('replaces the bytes of a file, keeping its name, type and folder', () => {
    const { store, update, download, accounting } = setup();
    const folder = store.createFolder('logs', store.rootId);
    const file = store.createFile('collect.jsonl', new Uint8Array(Buffer.from('{"a":1}\n')), 'application/x-ndjson', folder.id);
    const response = update(file.id, '{"a":1}\n{"b":2}\n');
    expect(response.getResponseCode()).toBe(200);
    expect(JSON.parse(response.getContentText())).toEqual({ id: file.id, name: 'collect.jsonl', size: '16' });
    expect(download(file.id).getContentText()).toBe('{"a":1}\n{"b":2}\n');
    const item = store.get(file.id)!;
    expect(item.kind === 'file' && item.mimeType).toBe('application/x-ndjson');
    expect(item.parents).toEqual([folder.id]);
    expect(accounting.total.calls['Drive.REST.files.update']).toBe(1);
  });

  it('answers 404 for an unknown id or a folder, 400 for another upload type, 401 without the token, changing nothing', () => {
    const { store, update, download } = setup();
    const folder = store.createFolder('logs', store.rootId);
    const file = store.createFile('x.txt', new Uint8Array(Buffer.from('old')), 'text/plain', folder.id);
    expect(update('no-such-id', 'new').getResponseCode()).toBe(404);
    expect(update(folder.id, 'new').getResponseCode()).toBe(404);
    expect(update(file.id, 'new', 'multipart').getResponseCode()).toBe(400);
    expect(update(file.id, 'new', 'media', 'wrong').getResponseCode()).toBe(401);
    expect(download(file.id).getContentText()).toBe('old');
  });
});
