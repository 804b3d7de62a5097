// Conformance tests for the emulated DriveApp: each describe is one documented behaviour of
// https://developers.google.com/apps-script/reference/drive/drive-app (and Folder, File, FileIterator).

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Accounting, Execution, ServiceContext, VirtualClock } from '../../../emulator/runtime/execution';
import { DriveStore } from '../../../emulator/drive/drive-store';
import { createDriveApp, NO_ITEM_WITH_ID } from '../../../emulator/drive/drive-app';
import { FakeBlob } from '../../../emulator/services/blob';

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 8, 0, 0));
  const ctx = new ServiceContext(clock, new Accounting());
  const store = new DriveStore(clock);
  const drive = createDriveApp(store, ctx);
  return { clock, ctx, store, drive };
}

function names(iterator: { hasNext(): boolean; next(): { getName(): string } }): string[] {
  const out: string[] = [];
  while (iterator.hasNext()) out.push(iterator.next().getName());
  return out;
}

// https://developers.google.com/apps-script/reference/drive/file-iterator
describe('FileIterator / FolderIterator: hasNext() then next(); next() past the end throws', () => {
  it('yields every item once, then refuses', () => {
    const { drive } = setup();
    const folder = drive.createFolder('Receipts');
    folder.createFile('a.txt', 'A');
    folder.createFile('b.txt', 'B');
    const files = folder.getFiles();
    expect(files.hasNext()).toBe(true);
    expect(files.next().getName()).toBe('a.txt');
    expect(files.next().getName()).toBe('b.txt');
    expect(files.hasNext()).toBe(false);
    expect(() => files.next()).toThrow('Cannot retrieve the next object: iterator has reached the end.');
  });
  it('an empty search iterator throws on the first next()', () => {
    const { drive } = setup();
    expect(() => drive.getFoldersByName('nothing').next()).toThrow('Cannot retrieve the next object: iterator has reached the end.');
  });
});

// https://developers.google.com/apps-script/reference/drive/folder#createFile(BlobSource)
describe('createFile: same-name files coexist (Drive never overwrites by name)', () => {
  it('two files named alike are two files with different ids', () => {
    const { drive, store } = setup();
    const folder = drive.createFolder('Out');
    const first = folder.createFile(new FakeBlob([1, 2, 3], 'application/pdf', 'facture.pdf') as unknown as GoogleAppsScript.Base.Blob);
    const second = folder.createFile(new FakeBlob([4, 5], 'application/pdf', 'facture.pdf') as unknown as GoogleAppsScript.Base.Blob);
    expect(first.getId()).not.toBe(second.getId());
    expect(names(folder.getFilesByName('facture.pdf'))).toEqual(['facture.pdf', 'facture.pdf']);
    expect(store.listFiles().map((f) => [f.path, f.size])).toEqual([
      ['Out/facture.pdf', 3],
      ['Out/facture.pdf', 2],
    ]);
  });
  it('keeps the bytes, type and name of the blob; getBlob returns signed bytes', () => {
    const { drive } = setup();
    const file = drive
      .getRootFolder()
      .createFile(new FakeBlob([0x25, 0x50, 0xff], 'application/pdf', 'x.pdf') as unknown as GoogleAppsScript.Base.Blob);
    expect(file.getSize()).toBe(3);
    expect(file.getMimeType()).toBe('application/pdf');
    expect(file.getBlob().getBytes()).toEqual([0x25, 0x50, -1]);
    expect(file.getBlob().getName()).toBe('x.pdf');
    expect(file.getUrl()).toBe(`https://drive.google.com/file/d/${file.getId()}/view`);
  });
  it('createFile(name, content) defaults to text/plain UTF-8', () => {
    const { drive } = setup();
    const file = drive.createFile('note.txt', 'déjà');
    expect(file.getMimeType()).toBe('text/plain');
    expect(file.getSize()).toBe(6);
    expect(file.getBlob().getDataAsString()).toBe('déjà');
  });
});

// https://developers.google.com/apps-script/reference/drive/drive-app#getFilesByName(String)
// (live Apps Script leaves trashed items out of these searches: brucemcpherson/gas-fakes issue #44)
describe('trashed items are left out of getFiles / getFilesByName / getFolders', () => {
  it('a trashed file disappears from listings but is still reachable by id', () => {
    const { drive } = setup();
    const folder = drive.createFolder('Inbox');
    const kept = folder.createFile('keep.txt', 'k');
    const gone = folder.createFile('gone.txt', 'g');
    gone.setTrashed(true);
    expect(names(folder.getFiles())).toEqual(['keep.txt']);
    expect(names(drive.getFiles())).toEqual(['keep.txt']);
    expect(names(drive.getFilesByName('gone.txt'))).toEqual([]);
    expect(drive.getFileById(gone.getId()).isTrashed()).toBe(true);
    expect(kept.isTrashed()).toBe(false);
  });
  it('a trashed folder disappears from getFoldersByName', () => {
    const { drive } = setup();
    drive.createFolder('Old').setTrashed(true);
    expect(names(drive.getFoldersByName('Old'))).toEqual([]);
  });
});

// https://developers.google.com/apps-script/reference/drive/drive-app#getFileById(String)
describe("getFileById / getFolderById: a missing id throws Apps Script's message", () => {
  it('throws for an unknown id', () => {
    const { drive } = setup();
    expect(() => drive.getFileById('nope')).toThrow(NO_ITEM_WITH_ID);
    expect(() => drive.getFolderById('nope')).toThrow(NO_ITEM_WITH_ID);
  });
  it('finds a nested folder and its parents', () => {
    const { drive } = setup();
    const parent = drive.createFolder('Postroom');
    const child = parent.createFolder('Receipts');
    const found = drive.getFolderById(child.getId());
    expect(found.getName()).toBe('Receipts');
    expect(names(found.getParents())).toEqual(['Postroom']);
    expect(names(parent.getFoldersByName('Receipts'))).toEqual(['Receipts']);
  });
});

describe('dates come from the virtual clock', () => {
  it('createdAt and lastUpdated follow virtual time', () => {
    const { drive, clock } = setup();
    const file = drive.createFile('a.txt', 'a');
    const created = file.getDateCreated().getTime();
    expect(created).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 15, 8, 0, 0));
    clock.advance(60_000);
    file.setName('b.txt');
    expect(file.getLastUpdated().getTime() - created).toBeGreaterThanOrEqual(60_000);
    expect(file.getName()).toBe('b.txt');
  });
});

describe('every call goes through the context: counted, and refused after the deadline', () => {
  it('counts calls per method and stops after the execution times out', () => {
    const { drive, ctx, clock } = setup();
    ctx.execution = new Execution(1, 1, 'rpc', 'test', clock.now());
    drive.createFolder('A');
    expect(ctx.accounting.total.calls['DriveApp.createFolder']).toBe(1);
    clock.advance(6 * 60_000);
    expect(() => drive.createFolder('B')).toThrow('Exceeded maximum execution time');
  });
});

describe('members that are not emulated say so', () => {
  it('throws Not emulated with the member name', () => {
    const { drive } = setup();
    const unknown = drive as unknown as { searchFiles(q: string): unknown };
    expect(() => unknown.searchFiles('title contains "x"')).toThrow('Not emulated: DriveApp.searchFiles');
  });
});

describe('DriveStore helpers for the CLI', () => {
  it('imports a local directory recursively and lists every file with path, size and sha256', () => {
    const { store } = setup();
    const dir = mkdtempSync(join(tmpdir(), 'drive-import-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.pdf'), '%PDF-1.4');
    writeFileSync(join(dir, 'sub', 'b.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    store.importDirectory(dir, store.rootId, 'Invoices');
    expect(store.listFiles()).toEqual([
      expect.objectContaining({
        path: 'Invoices/a.pdf',
        size: 8,
        mimeType: 'application/pdf',
        sha256: createHash('sha256').update('%PDF-1.4').digest('hex'),
      }),
      expect.objectContaining({ path: 'Invoices/sub/b.png', size: 4, mimeType: 'image/png' }),
    ]);
    expect(store.findFolderByPath('Invoices/sub')?.name).toBe('sub');
  });
});
