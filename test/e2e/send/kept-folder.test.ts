// The attachments folder's id kept between executions (user property `postroom.send.attachmentsFolder`):
// found once by walking the path, then read with the user properties; a kept id that no longer holds the
// files (the folder was replaced by another of the same path) is only a shortcut: the path is walked
// again, the new id kept, and every row still goes out once.

import { driveSend } from '../../../emulator/commands/send';
import { ensureBuilt, FOLDER, invoiceRows, sendRows, setupSend } from './helpers';

const KEY = 'postroom.send.attachmentsFolder';

function kept(workspace: ReturnType<typeof setupSend>['workspace']): { setting: string; id: string } | null {
  const raw = workspace.properties.user.values.get(KEY);
  return raw ? (JSON.parse(raw) as { setting: string; id: string }) : null;
}

describe('the attachments folder kept in the user properties', () => {
  beforeAll(ensureBuilt);

  it('is kept after the first send, with the setting it was found for', () => {
    const { workspace, runner } = setupSend(invoiceRows(3));
    const out = driveSend(runner);
    expect(out.error).toBeNull();
    const folder = kept(workspace);
    expect(folder?.setting).toBe(FOLDER);
    const item = workspace.drive.get(folder!.id);
    expect(item?.name).toBe('Factures');
    expect(sendRows(workspace).map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('a kept folder without the files (replaced since): the path is walked again, the new id kept, all sent once', () => {
    const { workspace, runner } = setupSend(invoiceRows(3));
    const stale = workspace.drive.createFolder('Ancien dossier').id;
    const store = workspace.properties.user;
    const next = new Map(store.values);
    next.set(KEY, JSON.stringify({ setting: FOLDER, id: stale }));
    store.commit(next);
    const out = driveSend(runner);
    expect(out.error).toBeNull();
    expect(sendRows(workspace).map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
    expect(workspace.mailbox.sentMessages()).toHaveLength(3);
    expect(kept(workspace)?.id).not.toBe(stale);
    expect(workspace.drive.get(kept(workspace)!.id)?.name).toBe('Factures');
  });

  it('a kept id for another setting is not used', () => {
    const { workspace, runner } = setupSend(invoiceRows(2));
    const other = workspace.drive.createFolder('Autre').id;
    const store = workspace.properties.user;
    const next = new Map(store.values);
    next.set(KEY, JSON.stringify({ setting: 'Autre', id: other }));
    store.commit(next);
    const out = driveSend(runner);
    expect(out.error).toBeNull();
    expect(sendRows(workspace).map((row) => row.status)).toEqual(['sent', 'sent']);
    expect(kept(workspace)?.setting).toBe(FOLDER);
  });
});
