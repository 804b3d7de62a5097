// Benchmark: `npm run bench -- collect`. A generated mailbox of 1,000 messages carrying 1,500 receipts
// (PDF / PNG / JPEG, from three whitelisted suppliers, over 30 days) is collected twice, each in a fresh
// emulated workspace, by the same runner:
//   postroom   the built bundle's collectFromGmail (Gmail REST and Drive REST multipart uploads in
//              parallel with fetchAll, one ledger read and one batched append per execution, batchModify
//              per label set), called again while its run is pending, as the sidebar or the
//              continuation trigger does;
//   naive      the plain Apps Script a tutorial would write (NAIVE_SCRIPT below): GmailApp.search, a
//              createFile and an appendRow per attachment, labels on whole threads; run again after
//              each 6-minute kill until nothing is left.
// Figures come from the emulator's accounting (calls per method, Gmail quota units, virtual time,
// executions): deterministic, so they are figures, not noise. The report is Markdown.

import { join } from 'node:path';
import { runCollectToEnd } from '../emulator/commands/collect';
import { makeJpeg, makePdf, makePng } from '../emulator/demo/binary-files';
import { attachment, textPart, writeMessage, type LeafPart } from '../emulator/demo/mime-writer';
import { Runner } from '../emulator/runner';
import type { AccountingSnapshot } from '../emulator/runtime/execution';
import { Workspace } from '../emulator/workspace';

const ROOT = join(__dirname, '..');
export const SUPPLIERS = ['factures@fournisseur-verre.fr', 'compta@optique-lens.fr', 'billing@montures-paris.fr'];
export const GMAIL_UNITS_PER_MINUTE = 15_000;

/** Gmail's verdicts for a genuine message of `domain` (the collect requires an authenticated sender by default). */
function authenticated(domain: string): string {
  return `mx.google.com; dkim=pass header.i=@${domain} header.s=s1; spf=pass smtp.mailfrom=${domain}; dmarc=pass header.from=${domain}`;
}

/**
 * Adds `messages` messages carrying `attachments` attachments in all (the first ones get two), every
 * file distinct, dated over 30 days before the workspace's now. Returns the count of attachments.
 */
export function generateReceiptMailbox(workspace: Workspace, messages = 1000, attachments = 1500): number {
  const doubles = attachments - messages;
  let files = 0;
  for (let n = 0; n < messages; n++) {
    const supplier = SUPPLIERS[n % SUPPLIERS.length];
    const count = n < doubles ? 2 : 1;
    const parts: LeafPart[] = [textPart(`Bonjour,\n\nci-joint la pièce ${n}.\n`)];
    for (let k = 0; k < count; k++) {
      const id = `${n}-${k}`;
      const kind = (n + k) % 5;
      if (kind === 3) parts.push(attachment('image/png', `scan-${id}.png`, makePng(16, 8, [n % 256, k * 40, 90], `scan ${id}`)));
      else if (kind === 4) parts.push(attachment('image/jpeg', `ticket-${id}.jpg`, makeJpeg(16, 8, `ticket ${id}`)));
      else parts.push(attachment('application/pdf', `FAC-${id}.pdf`, makePdf([`Facture ${id}`, `Montant TTC : ${(n * 7) % 900},00 €`])));
      files += 1;
    }
    const date = new Date(workspace.clock.now() - (30 * 24 - (n % (30 * 24))) * 3600_000);
    const bytes = writeMessage(
      {
        from: `Fournisseur <${supplier}>`,
        to: workspace.session.userEmail,
        subject: `Facture ${n}`,
        date,
        messageId: `bench-${n}@${supplier.split('@')[1]}`,
        authenticationResults: authenticated(supplier.split('@')[1]),
      },
      { kind: 'multi', subtype: 'mixed', parts },
      `bench-${n}`,
    );
    workspace.mailbox.importRaw(new Uint8Array(bytes));
  }
  return files;
}

/** The naive baseline, as a plain Apps Script file (V8, no bundle), run by the same runner. */
export const NAIVE_SCRIPT = `
var ALLOWED = ${JSON.stringify(SUPPLIERS)};

function folderNamed(parent, name) {
  var found = parent.getFoldersByName(name);
  return found.hasNext() ? found.next() : parent.createFolder(name);
}

function collectNaive() {
  var folder = folderNamed(folderNamed(DriveApp.getRootFolder(), 'Naive'), 'incoming');
  var spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  var sheet = spreadsheet.getSheetByName('NaiveReceipts') || spreadsheet.insertSheet('NaiveReceipts');
  var label = GmailApp.getUserLabelByName('Naive/imported') || GmailApp.createLabel('Naive/imported');
  var threads = GmailApp.search('is:unread has:attachment', 0, 100);
  while (threads.length) {
    threads.forEach(function (thread) {
      thread.getMessages().forEach(function (message) {
        var from = message.getFrom();
        if (!ALLOWED.some(function (address) { return from.indexOf(address) >= 0; })) return;
        message.getAttachments().forEach(function (file) {
          var stored = folder.createFile(file);
          sheet.appendRow([message.getId(), file.getName(), file.getContentType(), file.getSize(), stored.getId(), stored.getUrl(), from, message.getSubject(), message.getDate()]);
        });
      });
      thread.addLabel(label);
      thread.markRead();
    });
    threads = GmailApp.search('is:unread has:attachment', 0, 100);
  }
  return 'done';
}
`;

interface Measure {
  executions: number;
  outcomes: string;
  virtualMs: number;
  gmailUnits: number;
  calls: Record<string, number>;
  sheets: number;
  sheetsWrites: number;
  drive: number;
  /** Drive REST uploads (files.create), each inside a UrlFetchApp.fetchAll. */
  driveRest: number;
  /** Drive REST lookups by name (files.list: a day folder's id, a careful probe). */
  driveList: number;
  /** Folders made by the Drive REST files.create without media. */
  driveFolders: number;
  fetchAll: number;
  gmail: number;
  files: number;
  rows: number;
  perExecutionSheets: number[];
}

function measure(snapshot: AccountingSnapshot, files: number, rows: number, outcomes: string[]): Measure {
  const sum = (prefix: string, calls: Record<string, number> = snapshot.calls) =>
    Object.entries(calls)
      .filter(([m]) => m.startsWith(prefix))
      .reduce((s, [, n]) => s + n, 0);
  return {
    executions: snapshot.executions,
    outcomes: summarizeOutcomes(outcomes),
    virtualMs: snapshot.virtualMs,
    gmailUnits: snapshot.gmailUnits,
    calls: snapshot.calls,
    sheets: sum('SpreadsheetApp') + sum('Sheets.REST.'),
    sheetsWrites:
      (snapshot.calls['SpreadsheetApp.Range.setValues'] ?? 0) +
      (snapshot.calls['SpreadsheetApp.Sheet.appendRow'] ?? 0) +
      (snapshot.calls['Sheets.REST.values.batchUpdate'] ?? 0) +
      (snapshot.calls['Sheets.REST.values.append'] ?? 0),
    drive: sum('DriveApp'),
    driveRest: snapshot.calls['Drive.REST.files.create'] ?? 0,
    driveList: sum('Drive.REST.files.list'),
    driveFolders: snapshot.calls['Drive.REST.files.create.metadata'] ?? 0,
    fetchAll: snapshot.calls['UrlFetchApp.fetchAll'] ?? 0,
    gmail: sum('Gmail.REST.') + sum('GmailApp'),
    files,
    rows,
    perExecutionSheets: snapshot.byExecution.map(
      (execution) => sum('SpreadsheetApp', execution.calls) + sum('Sheets.REST.', execution.calls),
    ),
  };
}

function summarizeOutcomes(outcomes: string[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

function receiptsIn(workspace: Workspace, tab: string): number {
  const values = workspace.sheets.tabValues(workspace.containerId as string)[tab];
  return values ? Math.max(0, values.length - 1) : 0;
}

export function runPostroom(messages = 1000, attachments = 1500): Measure & { attachments: number } {
  const workspace = Workspace.create({});
  const total = generateReceiptMailbox(workspace, messages, attachments);
  const next = new Map(workspace.properties.user.values);
  next.set('postroom.settings.collect', JSON.stringify({ allowedSenders: SUPPLIERS, maxAttachmentsPerRun: 10_000 }));
  workspace.properties.user.commit(next);
  const runner = new Runner(workspace, { scriptPath: join(ROOT, 'dist/Code.js'), sidebarPath: null });
  const result = runCollectToEnd(runner, { kind: 'trigger', maxExecutions: 50 });
  if (result.error) throw new Error(`postroom collect did not finish: ${result.error.message}`);
  const files = workspace.drive.listFiles().filter((file) => file.path.startsWith('Postroom/incoming/')).length;
  return {
    ...measure(
      workspace.accounting.snapshot(),
      files,
      receiptsIn(workspace, 'Receipts'),
      result.results.map((r) => r.outcome),
    ),
    attachments: total,
  };
}

export function runNaive(messages = 1000, attachments = 1500): Measure {
  const workspace = Workspace.create({});
  generateReceiptMailbox(workspace, messages, attachments);
  const runner = new Runner(workspace, { source: NAIVE_SCRIPT, sidebarPath: null });
  const outcomes: string[] = [];
  for (let i = 0; i < 100; i++) {
    const result = runner.invoke('collectNaive', [], 'trigger');
    outcomes.push(result.outcome);
    if (result.outcome === 'completed') break;
    if (result.outcome === 'threw') throw new Error(`naive script threw: ${result.error?.message}`);
  }
  const files = workspace.drive.listFiles().filter((file) => file.path.startsWith('Naive/incoming/')).length;
  return measure(workspace.accounting.snapshot(), files, receiptsIn(workspace, 'NaiveReceipts'), outcomes);
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** The benchmark's sizes: attachments, over 2 attachments for every 3 messages' worth of files (1.5 per message). */
export const SIZES = [100, 1500, 5000];

interface SizeReport {
  attachments: number;
  messages: number;
  ours: Measure & { attachments: number };
  naive: Measure;
}

function measureSize(attachments: number): SizeReport {
  const messages = Math.round(attachments / 1.5);
  return { attachments, messages, ours: runPostroom(messages, attachments), naive: runNaive(messages, attachments) };
}

function gmailMethods(calls: Record<string, number>): string {
  return Object.entries(calls)
    .filter(([method]) => method.startsWith('Gmail.REST.'))
    .map(([method, n]) => `${method.slice('Gmail.REST.'.length)} ${n}`)
    .join(', ');
}

export async function run(): Promise<string> {
  const reports = SIZES.map(measureSize);
  const row = (label: string, cell: (r: SizeReport) => string) => `| ${label} | ${reports.map(cell).join(' | ')} |`;
  const units = (r: SizeReport) => r.ours.gmailUnits / r.attachments;
  const lines = [
    `## Collect benchmark: ${SIZES.map((n) => n.toLocaleString('en')).join(' / ')} attachments (emulator accounting, deterministic)`,
    '',
    `| | ${reports.map((r) => `${r.attachments.toLocaleString('en')} attachments (${r.messages.toLocaleString('en')} messages)`).join(' | ')} |`,
    `|---|${reports.map(() => '---').join('|')}|`,
    row('Postroom executions (6-min limit)', (r) => `${r.ours.executions} (${r.ours.outcomes})`),
    row('Postroom virtual time', (r) => minutes(r.ours.virtualMs)),
    row('naive GmailApp script: executions, time', (r) => `${r.naive.executions} (${r.naive.outcomes}), ${minutes(r.naive.virtualMs)}`),
    row('speed-up over the naive script', (r) => `${(r.naive.virtualMs / r.ours.virtualMs).toFixed(1)}×`),
    row('Gmail quota units (per attachment)', (r) => `${r.ours.gmailUnits.toLocaleString('en')} (${units(r).toFixed(2)})`),
    row(
      'attachments / min: Postroom vs Gmail quota ceiling',
      (r) => `${(r.attachments / (r.ours.virtualMs / 60_000)).toFixed(0)} vs ${Math.floor(GMAIL_UNITS_PER_MINUTE / units(r))}`,
    ),
    row('Gmail calls', (r) => `${r.ours.gmail}: ${gmailMethods(r.ours.calls)}`),
    row(
      'Sheets calls (writes); per execution',
      (r) => `${r.ours.sheets} (${r.ours.sheetsWrites}); ${r.ours.perExecutionSheets.join(', ')}`,
    ),
    row(
      'Drive calls',
      (r) =>
        `${r.ours.drive} DriveApp + ${r.ours.driveRest} REST uploads (${r.ours.fetchAll} fetchAll in all) + ${r.ours.driveList} REST files.list + ${r.ours.driveFolders} REST folders made`,
    ),
    row('Utilities calls (sha256, base64, dates)', (r) =>
      String(
        Object.entries(r.ours.calls)
          .filter(([m]) => m.startsWith('Utilities.'))
          .reduce((sum, [, n]) => sum + n, 0),
      ),
    ),
    row('files / rows: Postroom; naive', (r) => `${r.ours.files} / ${r.ours.rows}; ${r.naive.files} / ${r.naive.rows}`),
    '',
    `Gmail quota ceiling: ${GMAIL_UNITS_PER_MINUTE.toLocaleString('en')} units / min / user (attachments / min at the measured units per attachment). ` +
      'Per 25 messages: one messages.get fetchAll, one attachments.get fetchAll, one upload fetchAll per 20 files (400 ms each in the emulator), one Utilities.computeDigest per file.',
    'The naive script is the GmailApp tutorial loop (createFile + appendRow per attachment, labels on threads), rerun after each 6-minute kill: the extra files and rows are its copies at each kill.',
  ];
  return lines.join('\n');
}
