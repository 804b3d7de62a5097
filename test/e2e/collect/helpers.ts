// Helpers for the collect e2e tests: the BUILT bundle (dist/Code.js) in a fresh emulated workspace,
// messages written as real RFC 5322 bytes (emulator/demo/mime-writer), collect settings stored where the
// app reads them, and the outcome of a run read back from the stores: the files under the root folder
// (path, size, sha256), the Receipts and JobRuns tabs as records, and each message's labels.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCollectToEnd, type CollectInput, type DriveResult } from '../../../emulator/commands/collect';
import { writeMessage, type MimeNode } from '../../../emulator/demo/mime-writer';
import { Runner } from '../../../emulator/runner';
import { Workspace, type WorkspaceOptions } from '../../../emulator/workspace';

export const ROOT = join(__dirname, '../../..');
export const CODE = join(ROOT, 'dist/Code.js');
export const SETTINGS_KEY = 'postroom.settings.collect';
export const SUPPLIER = 'factures@fournisseur-verre.fr';
export const SUPPLIER_DOMAIN = 'fournisseur-verre.fr';

export function ensureBuilt(): void {
  if (!existsSync(CODE)) execFileSync('node', ['build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Opened {
  workspace: Workspace;
  runner: Runner;
}

export function openWorkspace(
  options: WorkspaceOptions = {},
  settings: Record<string, unknown> | null = { allowedSenders: [SUPPLIER] },
): Opened {
  const workspace = Workspace.create(options);
  if (settings) storeSettings(workspace, settings);
  return { workspace, runner: new Runner(workspace, { scriptPath: CODE, sidebarPath: null }) };
}

export function storeSettings(workspace: Workspace, settings: Record<string, unknown>): void {
  const next = new Map(workspace.properties.user.values);
  next.set(SETTINGS_KEY, JSON.stringify(settings));
  workspace.properties.user.commit(next);
}

export function authPass(domain: string): string {
  return `mx.google.com; dkim=pass header.i=@${domain} header.s=s1; spf=pass smtp.mailfrom=${domain}; dmarc=pass header.from=${domain}`;
}

export function authFail(domain: string): string {
  return `mx.google.com; dkim=fail header.i=@${domain}; spf=fail smtp.mailfrom=${domain}; dmarc=fail header.from=${domain}`;
}

/** The domain of the address in a From value ("Name <a@b.fr>" → "b.fr"). */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
}

let sequence = 0;

export interface MessageSpec {
  from?: string;
  subject?: string;
  date?: Date;
  messageId?: string;
  auth?: string;
  inReplyTo?: string;
  root: MimeNode;
  labelIds?: string[];
}

/** Imports one message (unread, in INBOX) and returns its Gmail id. */
export function addMessage(workspace: Workspace, spec: MessageSpec): string {
  sequence += 1;
  const messageId = spec.messageId ?? `m${sequence}@${SUPPLIER_DOMAIN}`;
  const bytes = writeMessage(
    {
      from: spec.from ?? `Fournisseur Verre <${SUPPLIER}>`,
      to: workspace.session.userEmail,
      subject: spec.subject ?? `Facture ${sequence}`,
      date: spec.date ?? new Date(Date.UTC(2026, 0, 5, 9, 0, 0)),
      messageId,
      inReplyTo: spec.inReplyTo,
      references: spec.inReplyTo ? `<${spec.inReplyTo}>` : undefined,
      // Authenticated by default (requireAuthenticatedSender is on by default); '' sends no verdict.
      authenticationResults: spec.auth ?? authPass(senderDomain(spec.from ?? SUPPLIER)),
    },
    spec.root,
    `seed-${sequence}`,
  );
  return workspace.mailbox.importRaw(new Uint8Array(bytes), spec.labelIds ? { labelIds: spec.labelIds } : {}).id;
}

export function collect(opened: Opened, input: CollectInput = {}, maxExecutions = 100): DriveResult {
  return runCollectToEnd(opened.runner, { input, maxExecutions });
}

export function tab(workspace: Workspace, name: string): Array<Record<string, string | number | boolean>> {
  const values = workspace.sheets.tabValues(workspace.containerId as string)[name];
  if (!values || values.length === 0) return [];
  const [header, ...rows] = values;
  return rows.map((row) => Object.fromEntries(header.map((column, i) => [String(column), row[i] ?? ''])));
}

export const receipts = (workspace: Workspace) => tab(workspace, 'Receipts');
export const jobRuns = (workspace: Workspace) => tab(workspace, 'JobRuns');

/** Files under the root folder's incoming/ and quarantine/ (not the logs), sorted by path. */
export function collectedFiles(workspace: Workspace, root = 'Postroom'): Array<{ path: string; size: number; sha256: string; id: string }> {
  return workspace.drive
    .listFiles()
    .filter((file) => file.path.startsWith(`${root}/incoming/`) || file.path.startsWith(`${root}/quarantine/`))
    .map(({ path, size, sha256, id }) => ({ path, size, sha256, id }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Each message's user labels and unread flag, keyed by Message-ID header. */
export function labelsByMessage(workspace: Workspace): Record<string, { labels: string[]; unread: boolean }> {
  const out: Record<string, { labels: string[]; unread: boolean }> = {};
  for (const entry of workspace.mailbox.dumpState()) {
    out[entry.messageIdHeader] = { labels: entry.labels.filter((label) => label.startsWith('Postroom/')), unread: entry.unread };
  }
  return out;
}

/**
 * What a run leaves behind, comparable between two workspaces: files (path, sha256), Receipts rows
 * without the Drive ids (checked separately to point at the file of the row's path), labels.
 */
export function outcome(workspace: Workspace) {
  const files = collectedFiles(workspace);
  const byId = new Map(files.map((file) => [file.id, file]));
  const rows = receipts(workspace).map((row) => {
    const { drive_file_id: id, drive_url: url, ...rest } = row;
    if (id) {
      const file = byId.get(String(id));
      // A row without a sha256 (an empty piece, a note in place of a piece too large to fetch) points at its file by path.
      const sha = String(row.sha256) || (file ? file.sha256 : '');
      expect(file ? `${file.path} ${file.sha256}` : `no file ${String(id)}`).toBe(`Postroom/${String(row.storage_path)} ${sha}`);
      expect(String(url)).toContain(String(id));
    }
    return rest;
  });
  return {
    files: files.map(({ path, sha256 }) => ({ path, sha256 })),
    receipts: rows.sort((a, b) => String(a.attachment_key).localeCompare(String(b.attachment_key))),
    labels: labelsByMessage(workspace),
  };
}
