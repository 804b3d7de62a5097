// The emulated Drive's state: folders and files with their bytes, parents, dates from the virtual
// clock and trashed flag. DriveApp fakes (drive-app.ts) are thin views over this store; the CLI reads
// it to dump the workspace (listFiles) and to import a local directory as a folder (importDirectory).
// Drive allows several items with the same name in one folder: nothing here ever overwrites by name.
// https://developers.google.com/apps-script/reference/drive

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

export const FOLDER_MIME_TYPE = 'application/vnd.google-apps.folder';

export interface DriveItem {
  id: string;
  kind: 'folder' | 'file';
  name: string;
  mimeType: string;
  /** File content; empty for folders. */
  bytes: Uint8Array;
  parents: string[];
  createdAt: number;
  updatedAt: number;
  trashed: boolean;
  description: string | null;
}

export interface DriveFileEntry {
  /** Path from the root folder, without the root's own name: "Postroom/Receipts/facture.pdf". */
  path: string;
  id: string;
  size: number;
  sha256: string;
  mimeType: string;
  trashed: boolean;
}

export interface DriveStoreOptions {
  /** Seed of the deterministic ids (two stores with the same seed produce the same ids). */
  idSeed?: string;
  rootName?: string;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.xml': 'application/xml',
  '.eml': 'message/rfc822',
  '.zip': 'application/zip',
};

/** The MIME type Drive would guess from a file name's extension. */
export function guessMimeType(name: string): string {
  return MIME_BY_EXTENSION[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export class DriveStore {
  private readonly items = new Map<string, DriveItem>();
  private counter = 0;
  readonly rootId: string;

  constructor(
    private readonly clock: { now(): number },
    private readonly options: DriveStoreOptions = {},
  ) {
    this.rootId = this.addItem('folder', options.rootName ?? 'My Drive', FOLDER_MIME_TYPE, new Uint8Array(), []).id;
  }

  /** Drive-like ids (33 characters, base64url alphabet), deterministic from the seed and a counter. */
  private nextId(): string {
    this.counter += 1;
    const digest = createHash('sha256')
      .update(`${this.options.idSeed ?? 'postroom'}:drive:${this.counter}`)
      .digest('base64url');
    return `1${digest.slice(0, 32)}`;
  }

  private addItem(kind: DriveItem['kind'], name: string, mimeType: string, bytes: Uint8Array, parents: string[]): DriveItem {
    const now = this.clock.now();
    const item: DriveItem = {
      id: this.nextId(),
      kind,
      name,
      mimeType,
      bytes,
      parents,
      createdAt: now,
      updatedAt: now,
      trashed: false,
      description: null,
    };
    this.items.set(item.id, item);
    return item;
  }

  get(id: string): DriveItem | undefined {
    return this.items.get(id);
  }

  createFolder(name: string, parentId: string = this.rootId): DriveItem {
    this.requireFolder(parentId);
    return this.addItem('folder', name, FOLDER_MIME_TYPE, new Uint8Array(), [parentId]);
  }

  createFile(name: string, bytes: Uint8Array, mimeType: string, parentId: string = this.rootId): DriveItem {
    this.requireFolder(parentId);
    return this.addItem('file', name, mimeType, new Uint8Array(bytes), [parentId]);
  }

  private requireFolder(id: string): DriveItem {
    const folder = this.items.get(id);
    if (!folder || folder.kind !== 'folder') throw new Error(`DriveStore: no folder ${id}`);
    return folder;
  }

  /** Direct children of a folder, in creation order. */
  children(folderId: string, kind: DriveItem['kind'], options: { includeTrashed?: boolean } = {}): DriveItem[] {
    return [...this.items.values()].filter(
      (item) => item.kind === kind && item.parents.includes(folderId) && (options.includeTrashed || !item.trashed),
    );
  }

  /** Every item of a kind in the Drive (the root excluded), in creation order. */
  all(kind: DriveItem['kind'], options: { includeTrashed?: boolean } = {}): DriveItem[] {
    return [...this.items.values()].filter(
      (item) => item.kind === kind && item.id !== this.rootId && (options.includeTrashed || !item.trashed),
    );
  }

  touch(item: DriveItem): void {
    item.updatedAt = this.clock.now();
  }

  /** Path of an item from the root (first parent at each level), without the root's name. */
  pathOf(id: string): string {
    const names: string[] = [];
    let current = this.items.get(id);
    const seen = new Set<string>();
    while (current && current.id !== this.rootId && !seen.has(current.id)) {
      seen.add(current.id);
      names.unshift(current.name);
      current = current.parents.length ? this.items.get(current.parents[0]) : undefined;
    }
    return names.join('/');
  }

  /** Every file with its full path, size, sha256 and MIME type: the CLI's `drive` state dump. */
  listFiles(options: { includeTrashed?: boolean } = {}): DriveFileEntry[] {
    return this.all('file', options).map((item) => ({
      path: this.pathOf(item.id),
      id: item.id,
      size: item.bytes.length,
      sha256: createHash('sha256').update(item.bytes).digest('hex'),
      mimeType: item.mimeType,
      trashed: item.trashed,
    }));
  }

  /** Finds a folder by its path from the root ("Postroom/Receipts"), or undefined. */
  findFolderByPath(path: string): DriveItem | undefined {
    let current = this.items.get(this.rootId);
    for (const name of path.split('/').filter(Boolean)) {
      current = current && this.children(current.id, 'folder').find((child) => child.name === name);
    }
    return current;
  }

  /**
   * Imports a local directory (recursively, entries sorted by name) as a new folder under `parentId`,
   * named after the directory unless `name` is given. Returns the new folder.
   */
  importDirectory(localDir: string, parentId: string = this.rootId, name: string = basename(localDir)): DriveItem {
    const folder = this.createFolder(name, parentId);
    for (const entry of readdirSync(localDir).sort()) {
      const full = join(localDir, entry);
      if (statSync(full).isDirectory()) this.importDirectory(full, folder.id, entry);
      else this.createFile(entry, new Uint8Array(readFileSync(full)), guessMimeType(entry), folder.id);
    }
    return folder;
  }
}
