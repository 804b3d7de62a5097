// Helpers for the export e2e tests: the BUILT bundle (dist/Code.js) in a fresh emulated workspace,
// messages imported as real RFC 5322 bytes, the export driven as the sidebar and the trigger do
// (emulator/commands/export.ts runExportToEnd), and what it left in Drive read back.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exportedFiles, runExportToEnd, type ExportDriveResult, type ExportInput } from '../../../emulator/commands/export';
import { writeMessage } from '../../../emulator/demo/mime-writer';
import { Runner } from '../../../emulator/runner';
import { Workspace, type WorkspaceOptions } from '../../../emulator/workspace';

export const ROOT = join(__dirname, '../../..');
export const CODE = join(ROOT, 'dist/Code.js');
export const NOW = '2026-01-20T09:00:00Z';

export function ensureBuilt(): void {
  if (!existsSync(CODE)) execFileSync('node', ['build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Opened {
  workspace: Workspace;
  runner: Runner;
}

export function openWorkspace(options: WorkspaceOptions = {}): Opened {
  const workspace = Workspace.create({ now: NOW, ...options });
  return { workspace, runner: new Runner(workspace, { scriptPath: CODE, sidebarPath: null }) };
}

export function importAll(workspace: Workspace, raws: readonly Buffer[]): string[] {
  return raws.map((raw) => workspace.mailbox.importRaw(new Uint8Array(raw)).id);
}

/** `n` simple messages, one a day back from NOW (the first is the newest). */
export function simpleMessages(workspace: Workspace, n: number, subject = (i: number) => `Facture ${i}`): string[] {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const bytes = writeMessage(
      {
        from: `Fournisseur <f${i % 3}@verre.fr>`,
        to: workspace.session.userEmail,
        subject: subject(i),
        date: new Date(Date.parse(NOW) - i * 3_600_000),
        messageId: `s${i}@verre.fr`,
      },
      { kind: 'leaf', contentType: 'text/plain; charset=utf-8', body: Buffer.from(`Message ${i} : voilà.`) },
      `simple-${i}`,
    );
    ids.push(workspace.mailbox.importRaw(new Uint8Array(bytes)).id);
  }
  return ids;
}

export function runExport(opened: Opened, input: ExportInput = {}): ExportDriveResult {
  return runExportToEnd(opened.runner, input);
}

export interface ExportedMessageJson {
  'Message-ID': string;
  'Thread-ID': string;
  Labels: string[];
  Date: string;
  From: string;
  To: string;
  Subject: string;
  Body: { plain: string; html: string | null };
  Attachments: Array<{ id: string; filename: string; mimeType: string; size: number; inline: boolean; file?: string }>;
  Snippet: string;
  Cc?: string;
  'RFC822-Message-ID': string;
}

/** The export folder's files by name (below the folder), from Drive. */
export function folderFiles(opened: Opened, folderUrl: string | null): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!folderUrl) return out;
  for (const file of exportedFiles(opened.workspace, folderUrl)) out.set(file.name, Buffer.from(file.bytes));
  return out;
}

export function batchNames(files: Map<string, Buffer>): string[] {
  return [...files.keys()].filter((name) => /^messages-\d{5}\.json$/.test(name)).sort();
}

export function exportedMessages(files: Map<string, Buffer>): ExportedMessageJson[] {
  return batchNames(files).flatMap((name) => JSON.parse(files.get(name)!.toString('utf8')) as ExportedMessageJson[]);
}

export function manifestOf(files: Map<string, Buffer>) {
  const raw = files.get('manifest.json');
  return raw ? JSON.parse(raw.toString('utf8')) : null;
}

export function tab(workspace: Workspace, name: string): Array<Record<string, string | number | boolean>> {
  const values = workspace.sheets.tabValues(workspace.containerId as string)[name];
  if (!values || values.length === 0) return [];
  const [header, ...rows] = values;
  return rows.map((row) => Object.fromEntries(header.map((column, i) => [String(column), row[i] ?? ''])));
}
