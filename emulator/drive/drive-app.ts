// DriveApp, Folder and File as scripts see them: views over a DriveStore, every method routed through
// `ctx.call('DriveApp.Class.method', …)` so it is counted, costs virtual time and stops at the deadline.
// Behaviour follows the reference: same-name items coexist (createFile never overwrites), trashed items
// are left out of getFiles/getFolders/…ByName (live Apps Script does so; gas-fakes issue #44 records it),
// iterators follow the hasNext()/next() contract, a missing id throws Apps Script's message.
// https://developers.google.com/apps-script/reference/drive/drive-app

import { FakeBlob, asFakeBlob } from '../services/blob';
import type { ServiceContext } from '../runtime/execution';
import { FakeIterator, hostDate, withNotEmulated, type DateFactory } from '../services/fake-support';
import { DriveStore, FOLDER_MIME_TYPE, type DriveItem } from './drive-store';

type Folder = GoogleAppsScript.Drive.Folder;
type File = GoogleAppsScript.Drive.File;
type FolderIterator = GoogleAppsScript.Drive.FolderIterator;
type FileIterator = GoogleAppsScript.Drive.FileIterator;

export const NO_ITEM_WITH_ID =
  'No item with the given ID could be found. Possibly because you have not edited this item or you do not have permission to access it.';

export interface DriveAppOptions {
  makeDate?: DateFactory;
}

/** What every Drive view shares: the store, the context and the Date factory. */
class DriveScope {
  constructor(
    readonly store: DriveStore,
    readonly ctx: ServiceContext,
    readonly makeDate: DateFactory,
  ) {}

  call<T>(method: string, fn: () => T): T {
    return this.ctx.call(`DriveApp.${method}`, fn);
  }

  folder(item: DriveItem): Folder {
    return withNotEmulated(new FakeFolder(this, item.id), 'DriveApp.Folder') as unknown as Folder;
  }

  file(item: DriveItem): File {
    return withNotEmulated(new FakeFile(this, item.id), 'DriveApp.File') as unknown as File;
  }

  folders(items: DriveItem[]): FolderIterator {
    const iterator = new FakeIterator(
      items.map((item) => this.folder(item)),
      (method, step) => this.call(`FolderIterator.${method}`, step),
    );
    return withNotEmulated(iterator, 'DriveApp.FolderIterator') as unknown as FolderIterator;
  }

  files(items: DriveItem[]): FileIterator {
    const iterator = new FakeIterator(
      items.map((item) => this.file(item)),
      (method, step) => this.call(`FileIterator.${method}`, step),
    );
    return withNotEmulated(iterator, 'DriveApp.FileIterator') as unknown as FileIterator;
  }

  item(id: string): DriveItem {
    const item = this.store.get(id);
    if (!item) throw new Error(NO_ITEM_WITH_ID);
    return item;
  }

  /** createFile(blob) or createFile(name, content, mimeType?) in a folder. */
  createFile(parentId: string, nameOrBlob: string | GoogleAppsScript.Base.BlobSource, content?: string, mimeType?: string): File {
    if (typeof nameOrBlob === 'string') {
      if (content === undefined) throw new Error('Invalid argument: content');
      const bytes = new Uint8Array(Buffer.from(String(content), 'utf8'));
      return this.file(this.store.createFile(nameOrBlob, bytes, mimeType ?? 'text/plain', parentId));
    }
    const blob = asFakeBlob(nameOrBlob);
    if (!blob) throw new Error('Invalid argument: blob');
    const name = blob.getName() || 'Untitled';
    return this.file(this.store.createFile(name, blob.rawBytes(), blob.getContentType() ?? 'application/octet-stream', parentId));
  }
}

/** The id of a Folder or File a script passes back to us, without a counted call. */
function idOf(item: Folder | File): string {
  if (item instanceof FakeFolder || item instanceof FakeFile) return item.id;
  throw new Error('Invalid argument: not a Drive item of this workspace');
}

export class FakeFolder implements Pick<
  Folder,
  | 'getId'
  | 'getName'
  | 'setName'
  | 'getUrl'
  | 'getSize'
  | 'getDescription'
  | 'setDescription'
  | 'createFolder'
  | 'createFile'
  | 'getFolders'
  | 'getFiles'
  | 'getFoldersByName'
  | 'getFilesByName'
  | 'getParents'
  | 'setTrashed'
  | 'isTrashed'
  | 'addFile'
  | 'addFolder'
  | 'removeFile'
  | 'getDateCreated'
  | 'getLastUpdated'
> {
  constructor(
    private readonly scope: DriveScope,
    readonly id: string,
  ) {}

  private get data(): DriveItem {
    return this.scope.item(this.id);
  }

  private self(): Folder {
    return this.scope.folder(this.data);
  }

  getId(): string {
    return this.scope.call('Folder.getId', () => this.id);
  }
  getName(): string {
    return this.scope.call('Folder.getName', () => this.data.name);
  }
  setName(name: string): Folder {
    return this.scope.call('Folder.setName', () => {
      this.data.name = String(name);
      this.scope.store.touch(this.data);
      return this.self();
    });
  }
  getUrl(): string {
    return this.scope.call('Folder.getUrl', () => `https://drive.google.com/drive/folders/${this.id}`);
  }
  getSize(): number {
    return this.scope.call('Folder.getSize', () => 0);
  }
  getDescription(): string {
    return this.scope.call('Folder.getDescription', () => this.data.description as string);
  }
  setDescription(description: string): Folder {
    return this.scope.call('Folder.setDescription', () => {
      this.data.description = description;
      return this.self();
    });
  }
  getDateCreated(): GoogleAppsScript.Base.Date {
    return this.scope.call('Folder.getDateCreated', () => this.scope.makeDate(this.data.createdAt));
  }
  getLastUpdated(): GoogleAppsScript.Base.Date {
    return this.scope.call('Folder.getLastUpdated', () => this.scope.makeDate(this.data.updatedAt));
  }
  createFolder(name: string): Folder {
    return this.scope.call('Folder.createFolder', () => this.scope.folder(this.scope.store.createFolder(String(name), this.id)));
  }
  createFile(nameOrBlob: string | GoogleAppsScript.Base.BlobSource, content?: string, mimeType?: string): File {
    return this.scope.call('Folder.createFile', () => this.scope.createFile(this.id, nameOrBlob, content, mimeType));
  }
  getFolders(): FolderIterator {
    return this.scope.call('Folder.getFolders', () => this.scope.folders(this.scope.store.children(this.id, 'folder')));
  }
  getFiles(): FileIterator {
    return this.scope.call('Folder.getFiles', () => this.scope.files(this.scope.store.children(this.id, 'file')));
  }
  getFoldersByName(name: string): FolderIterator {
    return this.scope.call('Folder.getFoldersByName', () =>
      this.scope.folders(this.scope.store.children(this.id, 'folder').filter((item) => item.name === name)),
    );
  }
  getFilesByName(name: string): FileIterator {
    return this.scope.call('Folder.getFilesByName', () =>
      this.scope.files(this.scope.store.children(this.id, 'file').filter((item) => item.name === name)),
    );
  }
  getParents(): FolderIterator {
    return this.scope.call('Folder.getParents', () => this.scope.folders(this.data.parents.map((id) => this.scope.item(id))));
  }
  setTrashed(trashed: boolean): Folder {
    return this.scope.call('Folder.setTrashed', () => {
      this.data.trashed = Boolean(trashed);
      this.scope.store.touch(this.data);
      return this.self();
    });
  }
  isTrashed(): boolean {
    return this.scope.call('Folder.isTrashed', () => this.data.trashed);
  }
  addFile(child: File): Folder {
    return this.scope.call('Folder.addFile', () => {
      const item = this.scope.item(idOf(child));
      if (!item.parents.includes(this.id)) item.parents.push(this.id);
      return this.self();
    });
  }
  addFolder(child: Folder): Folder {
    return this.scope.call('Folder.addFolder', () => {
      const item = this.scope.item(idOf(child));
      if (!item.parents.includes(this.id)) item.parents.push(this.id);
      return this.self();
    });
  }
  removeFile(child: File): Folder {
    return this.scope.call('Folder.removeFile', () => {
      const item = this.scope.item(idOf(child));
      item.parents = item.parents.filter((id) => id !== this.id);
      return this.self();
    });
  }
}

export class FakeFile implements Pick<
  File,
  | 'getId'
  | 'getName'
  | 'setName'
  | 'getSize'
  | 'getMimeType'
  | 'getUrl'
  | 'getDownloadUrl'
  | 'getBlob'
  | 'getAs'
  | 'getParents'
  | 'setTrashed'
  | 'isTrashed'
  | 'getDateCreated'
  | 'getLastUpdated'
  | 'getDescription'
  | 'setDescription'
  | 'setContent'
  | 'moveTo'
> {
  constructor(
    private readonly scope: DriveScope,
    readonly id: string,
  ) {}

  private get data(): DriveItem {
    return this.scope.item(this.id);
  }

  private self(): File {
    return this.scope.file(this.data);
  }

  getId(): string {
    return this.scope.call('File.getId', () => this.id);
  }
  getName(): string {
    return this.scope.call('File.getName', () => this.data.name);
  }
  setName(name: string): File {
    return this.scope.call('File.setName', () => {
      this.data.name = String(name);
      this.scope.store.touch(this.data);
      return this.self();
    });
  }
  getSize(): number {
    return this.scope.call('File.getSize', () => this.data.bytes.length);
  }
  getMimeType(): string {
    return this.scope.call('File.getMimeType', () => this.data.mimeType);
  }
  getUrl(): string {
    return this.scope.call('File.getUrl', () =>
      this.data.kind === 'folder' ? `https://drive.google.com/drive/folders/${this.id}` : `https://drive.google.com/file/d/${this.id}/view`,
    );
  }
  getDownloadUrl(): string {
    return this.scope.call('File.getDownloadUrl', () => `https://drive.google.com/uc?id=${this.id}&export=download`);
  }
  getDescription(): string {
    return this.scope.call('File.getDescription', () => this.data.description as string);
  }
  setDescription(description: string): File {
    return this.scope.call('File.setDescription', () => {
      this.data.description = description;
      return this.self();
    });
  }
  getBlob(): GoogleAppsScript.Base.Blob {
    return this.scope.call('File.getBlob', () => {
      if (this.data.mimeType === FOLDER_MIME_TYPE) throw new Error('Not emulated: DriveApp.File.getBlob of a folder');
      return new FakeBlob(new Uint8Array(this.data.bytes), this.data.mimeType, this.data.name) as unknown as GoogleAppsScript.Base.Blob;
    });
  }
  getAs(contentType: string): GoogleAppsScript.Base.Blob {
    return this.scope.call('File.getAs', () => {
      if (contentType !== this.data.mimeType)
        throw new Error(`Not emulated: DriveApp.File.getAs(${contentType}) conversion from ${this.data.mimeType}`);
      return new FakeBlob(new Uint8Array(this.data.bytes), this.data.mimeType, this.data.name) as unknown as GoogleAppsScript.Base.Blob;
    });
  }
  setContent(content: string): File {
    return this.scope.call('File.setContent', () => {
      this.data.bytes = new Uint8Array(Buffer.from(String(content), 'utf8'));
      this.scope.store.touch(this.data);
      return this.self();
    });
  }
  getParents(): FolderIterator {
    return this.scope.call('File.getParents', () => this.scope.folders(this.data.parents.map((id) => this.scope.item(id))));
  }
  moveTo(destination: Folder): File {
    return this.scope.call('File.moveTo', () => {
      const target = this.scope.item(idOf(destination));
      if (target.kind !== 'folder') throw new Error(NO_ITEM_WITH_ID);
      this.data.parents = [target.id];
      this.scope.store.touch(this.data);
      return this.self();
    });
  }
  setTrashed(trashed: boolean): File {
    return this.scope.call('File.setTrashed', () => {
      this.data.trashed = Boolean(trashed);
      this.scope.store.touch(this.data);
      return this.self();
    });
  }
  isTrashed(): boolean {
    return this.scope.call('File.isTrashed', () => this.data.trashed);
  }
  getDateCreated(): GoogleAppsScript.Base.Date {
    return this.scope.call('File.getDateCreated', () => this.scope.makeDate(this.data.createdAt));
  }
  getLastUpdated(): GoogleAppsScript.Base.Date {
    return this.scope.call('File.getLastUpdated', () => this.scope.makeDate(this.data.updatedAt));
  }
}

export class FakeDriveApp implements Pick<
  GoogleAppsScript.Drive.DriveApp,
  | 'getRootFolder'
  | 'getFolderById'
  | 'getFileById'
  | 'getFoldersByName'
  | 'getFilesByName'
  | 'getFolders'
  | 'getFiles'
  | 'createFolder'
  | 'createFile'
  | 'getStorageUsed'
> {
  private readonly scope: DriveScope;

  constructor(store: DriveStore, ctx: ServiceContext, options: DriveAppOptions = {}) {
    this.scope = new DriveScope(store, ctx, options.makeDate ?? hostDate);
  }

  getRootFolder(): Folder {
    return this.scope.call('getRootFolder', () => this.scope.folder(this.scope.item(this.scope.store.rootId)));
  }
  getFolderById(id: string): Folder {
    return this.scope.call('getFolderById', () => {
      const item = this.scope.item(String(id));
      if (item.kind !== 'folder') throw new Error(NO_ITEM_WITH_ID);
      return this.scope.folder(item);
    });
  }
  getFileById(id: string): File {
    return this.scope.call('getFileById', () => {
      const item = this.scope.item(String(id));
      if (item.kind !== 'file') throw new Error(NO_ITEM_WITH_ID);
      return this.scope.file(item);
    });
  }
  getFoldersByName(name: string): FolderIterator {
    return this.scope.call('getFoldersByName', () =>
      this.scope.folders(this.scope.store.all('folder').filter((item) => item.name === name)),
    );
  }
  getFilesByName(name: string): FileIterator {
    return this.scope.call('getFilesByName', () => this.scope.files(this.scope.store.all('file').filter((item) => item.name === name)));
  }
  getFolders(): FolderIterator {
    return this.scope.call('getFolders', () => this.scope.folders(this.scope.store.all('folder')));
  }
  getFiles(): FileIterator {
    return this.scope.call('getFiles', () => this.scope.files(this.scope.store.all('file')));
  }
  createFolder(name: string): Folder {
    return this.scope.call('createFolder', () => this.scope.folder(this.scope.store.createFolder(String(name))));
  }
  createFile(nameOrBlob: string | GoogleAppsScript.Base.BlobSource, content?: string, mimeType?: string): File {
    return this.scope.call('createFile', () => this.scope.createFile(this.scope.store.rootId, nameOrBlob, content, mimeType));
  }
  getStorageUsed(): number {
    return this.scope.call('getStorageUsed', () =>
      this.scope.store.all('file', { includeTrashed: true }).reduce((sum, item) => sum + item.bytes.length, 0),
    );
  }
}

/** DriveApp for the sandbox: a FakeDriveApp over `store`, with the Not-emulated guard. */
export function createDriveApp(store: DriveStore, ctx: ServiceContext, options: DriveAppOptions = {}): GoogleAppsScript.Drive.DriveApp {
  return withNotEmulated(new FakeDriveApp(store, ctx, options), 'DriveApp') as unknown as GoogleAppsScript.Drive.DriveApp;
}
