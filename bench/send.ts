// Benchmark of the Send job (`npm run bench -- send`): 1,000 invoices, each with its own PDF, sent by
// the BUILT bundle through the emulator's runner the way the open sidebar drives it (startSend, then
// continueSend while there is work). Reported from the emulator's accounting, so the figures are
// deterministic: virtual time to finish, executions, Gmail quota units, sends per minute against the
// 150 / min ceiling (15,000 units / min ÷ 100 per messages.send), Sheets calls per row. Beside it, a
// NAIVE BASELINE written here as a plain Apps Script snippet and run by the same runner: Google's
// mail-merge pattern, GmailApp.sendEmail and one setValue per row, re-run until every row is marked.
// Both again with 10 % of requests failing transiently (429 / 500 / 503 / network). The DEFAULT
// settings are the headline row.

import { driveSend, loadSendList, storeSendSettings } from '../emulator/commands/send';
import { makePdf } from '../emulator/demo/binary-files';
import { Runner, type InvokeResult } from '../emulator/runner';
import { FaultPlan, type CallCounts } from '../emulator/runtime/execution';
import { Workspace } from '../emulator/workspace';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ROOT = join(__dirname, '..');
const CODE = join(ROOT, 'dist/Code.js');
const ROWS = 1000;
const FOLDER = 'Postroom/Factures';
const CEILING_PER_MIN = 150;
/** A token bucket of one minute's units (150 sends at once, then 2.5 / s): (N − 150) / 150 min. */
const BUCKET_FLOOR_MIN = Math.max(0, (ROWS - CEILING_PER_MIN) / CEILING_PER_MIN);
/**
 * Gmail's per-user quota as the emulator enforces it, 15,000 units in ANY 60-s window: send n + 150
 * starts at least 60 s after send n, so N sends cannot finish before (⌈N / 150⌉ − 1) min.
 */
const WINDOW_FLOOR_MIN = Math.max(0, Math.ceil(ROWS / CEILING_PER_MIN) - 1);

const SETTINGS = {
  subjectTemplate: 'Votre facture {{key}} – {{period}}',
  textTemplate: 'Bonjour {{name}},\n\nVeuillez trouver ci-joint la facture {{key}}.\n\nCordialement',
  htmlTemplate: '<p>Bonjour {{name}},</p><p>Veuillez trouver ci-joint la facture <b>{{key}}</b>.</p>',
  senderName: 'Comptabilité Acuitis',
  attachmentsFolder: FOLDER,
};

/** The naive baseline: Google's mail-merge sample pattern, as a user would paste it in the editor. */
export const NAIVE_SCRIPT = `
function sendAllNaive() {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Sends');
  var data = sheet.getDataRange().getValues();
  var header = data[0];
  var col = function (name) { return header.indexOf(name); };
  var statusCol = col('status');
  if (statusCol < 0) { statusCol = header.length; sheet.getRange(1, statusCol + 1).setValue('status'); }
  var folder = DriveApp.getFoldersByName('Factures').next();
  for (var i = 1; i < data.length; i++) {
    var row = data[i];
    if (row[statusCol] === 'sent') continue;
    var file = folder.getFilesByName(row[col('attachments')]).next();
    GmailApp.sendEmail(row[col('to')], 'Votre facture ' + row[col('key')] + ' – ' + row[col('period')],
      'Bonjour ' + row[col('name')] + ',\\n\\nVeuillez trouver ci-joint la facture ' + row[col('key')] + '.\\n\\nCordialement',
      { htmlBody: '<p>Bonjour ' + row[col('name')] + ',</p><p>Veuillez trouver ci-joint la facture <b>' + row[col('key')] + '</b>.</p>',
        name: 'Comptabilité Acuitis', attachments: [file.getBlob()] });
    sheet.getRange(i + 1, statusCol + 1).setValue('sent');
  }
}
`;

function workspaceWithList(count = ROWS): Workspace {
  const workspace = Workspace.create({ user: 'comptabilite@acuitis.fr', seed: 11 });
  const header = ['key', 'period', 'to', 'attachments', 'name'];
  const rows = Array.from({ length: count }, (_, i) => {
    const key = `CCT${String(i + 1).padStart(4, '0')}`;
    return [key, '2026-01', `client${i + 1}@exemple.fr`, `FACTURE_${key}.pdf`, `Client ${i + 1}`];
  });
  const files = rows.map(([key, , , name]) => ({
    name,
    bytes: new Uint8Array(makePdf([`Facture ${key}`, 'Opticiens Démo SARL', 'Montant : 120,00 €'])),
  }));
  loadSendList(workspace, [header, ...rows], files, FOLDER);
  return workspace;
}

interface Figures {
  label: string;
  rows?: number;
  driveCalls?: number;
  virtualMs: number;
  executions: number;
  gmailUnits: number;
  sent: number;
  duplicates: number;
  sheetsAll: number;
  sheetsReadWrite: number;
  faults: number;
}

function sheetsCalls(counts: CallCounts): { all: number; readWrite: number } {
  let all = 0;
  let readWrite = 0;
  for (const [method, n] of Object.entries(counts.calls)) {
    // SpreadsheetApp calls, and each Sheets API request (one of a fetchAll's requests) as one call too.
    if (method.startsWith('Sheets.REST.')) {
      all += n;
      readWrite += n;
      continue;
    }
    if (!method.startsWith('SpreadsheetApp.')) continue;
    all += n;
    if (/\.(getValues|getDisplayValues|setValues|setValue|appendRow|getValue)$/.test(method)) readWrite += n;
  }
  return { all, readWrite };
}

function figuresOf(label: string, workspace: Workspace, started: number, results: InvokeResult[], endedAt: number): Figures {
  const sent = workspace.mailbox.sentMessages();
  const distinct = new Set(sent.map((m) => m.to)).size;
  const sheets = sheetsCalls(workspace.accounting.total);
  return {
    label,
    virtualMs: endedAt - started,
    executions: results.length,
    gmailUnits: workspace.accounting.total.gmailUnits,
    sent: distinct,
    duplicates: sent.length - distinct,
    sheetsAll: sheets.all,
    sheetsReadWrite: sheets.readWrite,
    faults: workspace.accounting.faultsInjected,
  };
}

const planMs = new Map<string, number>();

function driveCalls(counts: CallCounts): number {
  return Object.entries(counts.calls)
    .filter(([method]) => method.startsWith('DriveApp.') || method.startsWith('Drive.REST.'))
    .reduce((sum, [, n]) => sum + n, 0);
}

function runPostroom(label: string, faultRate: number, extraSettings: Record<string, unknown>, count = ROWS): Figures {
  const workspace = workspaceWithList(count);
  storeSendSettings(workspace, { ...SETTINGS, ...extraSettings });
  if (faultRate) workspace.ctx.faults = new FaultPlan({ seed: 5, rate: faultRate });
  const runner = new Runner(workspace, { scriptPath: CODE, sidebarPath: null });
  const started = workspace.clock.now();
  // As the sidebar does: Plan (validate every row, show the counts), then Send.
  const plan = runner.rpc('planSend', {});
  if (plan.outcome !== 'completed') throw new Error(`${label}: planSend ${plan.outcome} ${plan.error?.message ?? ''}`);
  planMs.set(label, plan.endedAt - plan.startedAt);
  const out = driveSend(runner, { filter: 'planned', maxExecutions: 200 });
  out.results.unshift(plan);
  if (out.error || out.final?.progress?.state !== 'done') throw new Error(`${label}: ${out.error?.message ?? out.final?.progress?.state}`);
  // Time to finish: until the last execution that did work ended (the driver stops right after).
  const endedAt = Math.max(...out.results.map((r) => r.endedAt));
  return { ...figuresOf(label, workspace, started, out.results, endedAt), rows: count, driveCalls: driveCalls(workspace.accounting.total) };
}

/**
 * The larger soak: 20,000 rows, 2 % transient faults, the DEFAULT settings (2,000 a rolling 24 h), as the
 * sidebar and the continuation trigger drive it; the user properties' largest value and total measured
 * after every execution.
 */
function runSoak(count: number): string {
  const workspace = workspaceWithList(count);
  storeSendSettings(workspace, SETTINGS);
  workspace.ctx.faults = new FaultPlan({ seed: 23, rate: 0.02 });
  const runner = new Runner(workspace, { scriptPath: CODE, sidebarPath: null, syncTimeoutMs: 120_000 });
  const started = workspace.clock.now();
  let largestValue = 0;
  let largestStore = 0;
  const store = workspace.properties.user;
  const out = driveSend(runner, {
    maxExecutions: 2000,
    onExecution: () => {
      for (const value of store.values.values()) largestValue = Math.max(largestValue, Buffer.byteLength(value));
      largestStore = Math.max(largestStore, store.size());
    },
  });
  if (out.error || out.final?.progress?.state !== 'done') throw new Error(`soak: ${out.error?.message ?? out.final?.progress?.state}`);
  const sent = workspace.mailbox.sentMessages();
  const distinct = new Set(sent.map((m) => m.to)).size;
  const days = (Math.max(...out.results.map((r) => r.endedAt)) - started) / 86_400_000;
  return `| ${count.toLocaleString('en-US')} | 2 % | ${days.toFixed(1)} days | ${out.results.length} | ${workspace.accounting.faultsInjected} | ${largestValue.toLocaleString('en-US')} B | ${largestStore.toLocaleString('en-US')} B | ${distinct} / ${sent.length - distinct} |`;
}

/**
 * Cost per row as the list grows: Drive and Sheets calls per row should stay flat. Beside each average,
 * the cost of each row ADDED since the previous (smaller) list, which a fixed per-send cost does not lift.
 */
function scaleRow(f: Figures, index: number, all: readonly Figures[]): string {
  const rows = f.rows ?? ROWS;
  const prev = index > 0 ? all[index - 1] : null;
  const added = (calls: (g: Figures) => number) => (prev ? ((calls(f) - calls(prev)) / (rows - (prev.rows ?? ROWS))).toFixed(3) : '—');
  const plan = planMs.get(f.label) ?? 0;
  const sendingMinutes = (f.virtualMs - plan) / 60_000;
  return `| ${rows.toLocaleString('en-US')} | ${(f.virtualMs / 60_000).toFixed(2)} min | ${(plan / 1000).toFixed(0)} s | ${f.executions} | ${(f.sent / sendingMinutes).toFixed(1)} / min | ${((f.driveCalls ?? 0) / rows).toFixed(3)} | ${added((g) => g.driveCalls ?? 0)} | ${(f.sheetsAll / rows).toFixed(3)} | ${added((g) => g.sheetsAll)} | ${(f.sheetsReadWrite / rows).toFixed(3)} | ${f.sent} / ${f.duplicates} |`;
}

function runNaive(label: string, faultRate: number): Figures {
  const workspace = workspaceWithList();
  if (faultRate) workspace.ctx.faults = new FaultPlan({ seed: 5, rate: faultRate });
  const runner = new Runner(workspace, { source: NAIVE_SCRIPT, sidebarPath: null });
  const started = workspace.clock.now();
  const results: InvokeResult[] = [];
  // Re-run (as a person clicking Run again) until an execution completes; an execution that threw on
  // a transient Gmail error or hit the 6-minute limit is simply run again.
  for (let i = 0; i < 100; i++) {
    const result = runner.menu('sendAllNaive');
    results.push(result);
    if (result.outcome === 'completed') break;
  }
  return figuresOf(label, workspace, started, results, workspace.clock.now());
}

function row(f: Figures): string {
  const minutes = f.virtualMs / 60_000;
  const plan = planMs.get(f.label) ?? 0;
  const sendingMinutes = (f.virtualMs - plan) / 60_000;
  const perMin = f.sent / sendingMinutes;
  const efficiency = (floor: number) => `${((floor / sendingMinutes) * 100).toFixed(0)} %`;
  return `| ${f.label} | ${minutes.toFixed(2)} min | ${plan ? `${(plan / 1000).toFixed(0)} s` : '—'} | ${sendingMinutes.toFixed(2)} min | ${f.executions} | ${f.gmailUnits.toLocaleString('en-US')} | ${perMin.toFixed(1)} / min (${((perMin / CEILING_PER_MIN) * 100).toFixed(0)} % of 150) | ${efficiency(BUCKET_FLOOR_MIN)} | ${efficiency(WINDOW_FLOOR_MIN)} | ${(f.sheetsAll / ROWS).toFixed(3)} | ${(f.sheetsReadWrite / ROWS).toFixed(3)} | ${f.sent} / ${f.duplicates} | ${f.faults} |`;
}

export async function run(): Promise<string> {
  if (!existsSync(CODE)) execFileSync('node', ['build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  const tuned = { batchSize: 50, maxPerSecond: 50, maxPerMinute: 150 };
  const figures = [
    runPostroom('Postroom, DEFAULT settings (10 / s)', 0, {}),
    runPostroom('Postroom, batches of 50 (50 / s)', 0, tuned),
    runPostroom('Postroom, default settings, 10 % faults', 0.1, {}),
    runPostroom('Postroom, batches of 50, 10 % faults', 0.1, tuned),
    runNaive('naive: GmailApp.sendEmail + setValue per row', 0),
    runNaive('naive, 10 % faults', 0.1),
  ];
  const scale = [1000, 5000, 10000].map((n) => runPostroom(`scale ${n}`, 0, {}, n));
  const soak = runSoak(20_000);
  return [
    `### Send benchmark: ${ROWS} invoices, one PDF each (virtual time, emulator accounting)`,
    '',
    '| run | time to finish | of which planning | sending | executions | Gmail units | sends per minute | vs. 5.67 min (bucket floor) | vs. 6.00 min (60-s window floor) | Sheets calls / row (all) | Sheets reads+writes / row | rows sent / duplicates | faults injected |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...figures.map(row),
    '',
    '"sending": from startSend to the last message (planning is planSend, run first as the sidebar does; the naive script has none). Sends per minute are over the sending time.',
    `"vs. … floor": the floor divided by the sending time. A one-minute token bucket (150 at once, then 2.5 / s) allows 1,000 sends in (1,000 − 150) / 150 = ${BUCKET_FLOOR_MIN.toFixed(2)} min; the 60-s window that the emulator (like Gmail's "per minute" quota) enforces allows them in ${WINDOW_FLOOR_MIN.toFixed(2)} min at best (send n + 150 starts ≥ 60 s after send n), plus the time the last group takes at maxPerSecond.`,
    'The naive baseline spends no Gmail API units (GmailApp counts against recipients per day instead) and is not exactly-once.',
    '',
    '### Send at scale: DEFAULT settings, one PDF per row (dailyCap 2,000 paces lists over 2,000 rows across days: the clock runs on)',
    '',
    '| rows | time to finish | planning | executions | sends per minute (sending time) | Drive calls / row | Drive calls / added row | Sheets calls / row (all) | Sheets calls / added row | Sheets reads+writes / row | rows sent / duplicates |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...scale.map(scaleRow),
    '',
    '"/ added row": the calls of this list minus those of the previous one, over the rows added; the per-row average also carries what a send pays once whatever its length.',
    '',
    '### Send soak: DEFAULT settings, over the days the daily cap makes it last, with transient faults',
    '',
    '| rows | faults | time to finish | executions | faults injected | largest user property | user properties in all | rows sent / duplicates |',
    '|---|---|---|---|---|---|---|---|',
    soak,
  ].join('\n');
}
