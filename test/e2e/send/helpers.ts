// Shared setup of the send e2e tests: a workspace with a `Sends` tab of N invoices (each with its own
// PDF in the attachments folder), send settings in the user properties, a runner over the BUILT bundle,
// and readers of the outcome (the tab's rows, the SENT messages parsed with mailparser, JobRuns).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { storeSendSettings, loadSendList, SENDS_TAB } from '../../../emulator/commands/send';
import { makePdf } from '../../../emulator/demo/binary-files';
import { Runner } from '../../../emulator/runner';
import { Workspace, type WorkspaceOptions } from '../../../emulator/workspace';
import { simpleParser, type ParsedMail } from '../../unit/send/parse-mail';

export const ROOT = join(__dirname, '../../..');
export const CODE = join(ROOT, 'dist/Code.js');

export function ensureBuilt(): void {
  if (!existsSync(CODE)) execFileSync('node', ['build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}

export const FOLDER = 'Postroom/Factures';

export const SETTINGS = {
  subjectTemplate: 'Votre facture {{key}} – période {{period}}',
  textTemplate: 'Bonjour {{name}},\n\nVoici la facture {{key}} ({{amount}} €).\n\nCordialement',
  htmlTemplate: '<p>Bonjour {{name}},</p><p>Voici la facture <b>{{key}}</b> ({{amount}} €).</p>',
  senderName: 'Comptabilité Acuitis',
  attachmentsFolder: FOLDER,
};

export interface ListRow {
  key: string;
  period: string;
  to: string;
  cc?: string;
  attachments: string;
  name: string;
  amount: string;
}

export function invoiceRows(n: number, options: { period?: string } = {}): ListRow[] {
  const period = options.period ?? '2026-01';
  return Array.from({ length: n }, (_, i) => {
    const key = `CCT${String(i + 1).padStart(4, '0')}`;
    return {
      key,
      period,
      to: `client${i + 1}@exemple.fr`,
      attachments: `FACTURE_${key}.pdf`,
      name: `Société Élan n°${i + 1}`,
      amount: `${(i + 1) * 10},00`,
    };
  });
}

export function pdfFor(key: string): Buffer {
  return makePdf([`Facture ${key}`, 'Opticiens Démo SARL', `Montant : ${key.length} €`]);
}

export interface SendSetup {
  workspace: Workspace;
  runner: Runner;
  rows: ListRow[];
}

export function setupSend(
  rows: ListRow[],
  options: WorkspaceOptions & { settings?: Record<string, unknown>; files?: Array<{ name: string; bytes: Uint8Array }> } = {},
): SendSetup {
  const { settings, files, ...workspaceOptions } = options;
  const workspace = Workspace.create({ user: 'comptabilite@acuitis.fr', ...workspaceOptions });
  const header = ['key', 'period', 'to', 'cc', 'attachments', 'name', 'amount'];
  const table = [header, ...rows.map((r) => [r.key, r.period, r.to, r.cc ?? '', r.attachments, r.name, r.amount])];
  const pdfs = files ?? rows.filter((r) => r.attachments).map((r) => ({ name: r.attachments, bytes: new Uint8Array(pdfFor(r.key)) }));
  loadSendList(workspace, table, pdfs, FOLDER);
  storeSendSettings(workspace, { ...SETTINGS, ...(settings ?? {}) });
  return { workspace, runner: new Runner(workspace, { scriptPath: CODE, sidebarPath: null }), rows };
}

/** The Sends tab as records keyed by header. */
export function sendRows(workspace: Workspace): Array<Record<string, string | number | boolean>> {
  const values = workspace.sheets.tabValues(workspace.containerId as string)[SENDS_TAB];
  const [header, ...rest] = values;
  return rest.map((row) => Object.fromEntries(header.map((name, i) => [String(name), row[i] ?? ''])));
}

export function tab(workspace: Workspace, name: string): Array<Record<string, string | number | boolean>> {
  const values = workspace.sheets.tabValues(workspace.containerId as string)[name] ?? [];
  const [header, ...rest] = values;
  return rest.map((row) => Object.fromEntries((header ?? []).map((h, i) => [String(h), row[i] ?? ''])));
}

/** X-Postroom-Send-Id of each SENT message, read from the raw header (fast path for many runs). */
export function sentSendIds(workspace: Workspace): string[] {
  return workspace.mailbox
    .sentMessages()
    .map((m) => /^X-Postroom-Send-Id: (.+)$/m.exec(Buffer.from(m.raw).toString('latin1'))?.[1]?.trim() ?? '');
}

export async function parsedSent(workspace: Workspace): Promise<ParsedMail[]> {
  return Promise.all(workspace.mailbox.sentMessages().map((m) => simpleParser(Buffer.from(m.raw))));
}

/** How many SENT messages each invoice key got (parsed with mailparser, key read from the subject). */
export async function sentCountByKey(workspace: Workspace): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const mail of await parsedSent(workspace)) {
    const key = /facture (CCT\d+)/.exec(mail.subject ?? '')?.[1] ?? '?';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

// ---------------------------------------------------------------------------------- exactly once

import { FaultPlan, type FaultOptions } from '../../../emulator/runtime/execution';
import { driveSend } from '../../../emulator/commands/send';

export const KILL_ROWS = 50;

/** Service calls (the kill points) of a clean 50-row send, all in its first execution (startSend). */
export function cleanRunCalls(): number {
  const { runner } = setupSend(invoiceRows(KILL_ROWS), { loseUnflushedSheetWrites: true } as WorkspaceOptions);
  const out = driveSend(runner);
  if (out.error || out.results.length !== 1) throw new Error(`clean run: ${out.error?.message ?? `${out.results.length} executions`}`);
  // Gmail.REST.*, Drive.REST.* and Sheets.REST.* entries count the requests a fetchAll carried; they
  // are not service calls of their own.
  return Object.entries(out.results[0].counts.calls)
    .filter(([method]) => !/^(Gmail|Drive|Sheets)\.REST\./.test(method))
    .reduce((sum, [, n]) => sum + n, 0);
}

/**
 * One adversarial case: the faults given (a kill at call k of execution 1, transient errors…),
 * unflushed Sheets writes lost on a kill; then executions until done. Returns what went wrong ([] when
 * every valid row went out exactly once and the sheet says so).
 */
export function runFaultCase(
  faults: FaultOptions,
  rows = invoiceRows(KILL_ROWS),
  options: { jobRun?: boolean } = {},
): { problems: string[]; executions: number; killed: number } {
  const { workspace, runner } = setupSend(rows, { loseUnflushedSheetWrites: true } as WorkspaceOptions);
  workspace.ctx.faults = new FaultPlan(faults);
  const out = driveSend(runner, { maxExecutions: 200 });
  const problems: string[] = [];
  if (options.jobRun) {
    // The triggers the send left (an ended run whose JobRuns row is owed keeps them) fire, still
    // killed and faulty, until none is left: then the run's one row must be there.
    runner.runUntilIdle({ maxExecutions: 200 });
    const left = workspace.triggers
      .forUser(workspace.session.userEmail)
      .map((trigger) => trigger.handlerFunction)
      .filter((handler) => handler === 'runSendContinuation' || handler === 'runSendSafetyNet');
    if (left.length) problems.push(`triggers left: ${left.join(', ')}`);
    const runs = tab(workspace, 'JobRuns').filter((row) => row.job === 'send');
    if (runs.length !== 1) problems.push(`${runs.length} JobRuns row(s) for the send`);
    const run = runs[0];
    if (run && (run.status !== 'succeeded' || run.emails_scanned !== rows.length || run.errors_count !== 0))
      problems.push(`JobRuns row: ${run.status}, ${run.emails_scanned} rows, ${run.errors_count} errors`);
    if (run && !new RegExp(`^${rows.length} (sent|envoyé\\(s\\)), 0 `).test(String(run.summary)))
      problems.push(`JobRuns summary: ${run.summary}`);
  }
  // Once done, no fault may hide anything: a final read-only look without faults.
  workspace.ctx.faults = new FaultPlan({});
  if (out.error) problems.push(`driver: ${out.error.message}`);
  if (out.final?.progress?.state !== 'done') problems.push(`state ${out.final?.progress?.state}`);
  const sent = workspace.mailbox.sentMessages();
  const byTo = new Map<string, number>();
  for (const m of sent) byTo.set(m.to, (byTo.get(m.to) ?? 0) + 1);
  const ids = sentSendIds(workspace);
  if (new Set(ids).size !== ids.length) problems.push('a send id appears twice in SENT');
  const sheet = sendRows(workspace);
  const sentIds = new Set(sent.map((m) => m.id));
  for (const row of rows) {
    const count = byTo.get(row.to) ?? 0;
    if (count !== 1) problems.push(`${row.key}: ${count} message(s) in SENT`);
    const line = sheet.find((r) => r.key === row.key);
    if (!line || line.status !== 'sent') problems.push(`${row.key}: sheet status ${line?.status}`);
    else if (!sentIds.has(String(line.message_id))) problems.push(`${row.key}: message_id ${line.message_id} not in SENT`);
  }
  return { problems, executions: out.results.length, killed: workspace.accounting.killedExecutions };
}
