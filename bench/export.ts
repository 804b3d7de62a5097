// Benchmark: `npm run bench -- export`. A generated mailbox of 10,000 messages (French accounting mail:
// text and HTML bodies, one in ten with a PDF) is exported twice, each in a fresh emulated workspace,
// by the same runner:
//   postroom   the built bundle's startExport, then its runExportContinue executions as the trigger
//              fires them (messages.get through fetchAll, 50 a call, paced on the Gmail quota; batch
//              files of 5,000 written whole);
//   naive      the plain Apps Script a tutorial would write (NAIVE_SCRIPT below), the seed's exporter
//              ported to GmailApp: search pages of threads, every getter per message, one JSON file
//              per page, its position saved after each file so a 6-minute kill loses only one page.
// Figures come from the emulator's accounting (virtual time, executions, Gmail quota units, calls per
// method): deterministic, so they are figures, not noise. The report is Markdown.

import { join } from 'node:path';
import { runExportToEnd, type ExportInput } from '../emulator/commands/export';
import { makePdf } from '../emulator/demo/binary-files';
import { attachment, htmlPart, textPart, writeMessage, type MimeNode } from '../emulator/demo/mime-writer';
import { Runner } from '../emulator/runner';
import type { AccountingSnapshot } from '../emulator/runtime/execution';
import { Workspace } from '../emulator/workspace';

const ROOT = join(__dirname, '..');
const NOW = '2026-01-20T09:00:00Z';
export const MESSAGES = 10_000;
/** messages.get costs 5 of the 15,000 units a user may spend per minute. */
export const CEILING_PER_MINUTE = 3000;

const SUPPLIERS = [
  'Fournisseur Verre <factures@fournisseur-verre.fr>',
  'Optique Lens <compta@optique-lens.fr>',
  'Montures Paris <billing@montures-paris.fr>',
];

/** Adds `count` messages, one every 5 minutes back from now; every tenth carries a PDF. */
export function generateMailbox(workspace: Workspace, count = MESSAGES): void {
  const pdf = makePdf(['Facture', 'Montant TTC : 1 234,56 €']);
  const now = workspace.clock.now();
  for (let n = 0; n < count; n++) {
    const text = `Bonjour,\n\nVeuillez trouver la facture n°${n} d’un montant de ${(n * 7) % 900},00 € pour le magasin ${n % 40}.\nÉchéance : 30 jours.\n\nCordialement,\nService comptabilité`;
    const body: MimeNode = {
      kind: 'multi',
      subtype: 'alternative',
      parts: [textPart(text), htmlPart(`<p>${text.replace(/\n/g, '<br>')}</p>`)],
    };
    const root: MimeNode =
      n % 10 === 0 ? { kind: 'multi', subtype: 'mixed', parts: [body, attachment('application/pdf', `FAC-${n}.pdf`, pdf)] } : body;
    const bytes = writeMessage(
      {
        from: SUPPLIERS[n % 3],
        to: workspace.session.userEmail,
        subject: `Facture n°${n} – échéance`,
        date: new Date(now - (n + 1) * 300_000),
        messageId: `bench-export-${n}@x.fr`,
      },
      root,
      `bx-${n}`,
    );
    workspace.mailbox.importRaw(new Uint8Array(bytes));
  }
}

/** The naive baseline, as a plain Apps Script file (V8, no bundle), run by the same runner. */
export const NAIVE_SCRIPT = `
var PAGE = 50;

function exportNaive() {
  var props = PropertiesService.getUserProperties();
  var start = Number(props.getProperty('naive.start') || 0);
  var root = DriveApp.getRootFolder();
  var found = root.getFoldersByName('NaiveExport');
  var folder = found.hasNext() ? found.next() : root.createFolder('NaiveExport');
  for (;;) {
    var threads = GmailApp.search('', start, PAGE);
    if (!threads.length) return 'done';
    var out = [];
    threads.forEach(function (thread) {
      var labels = thread.getLabels().map(function (label) { return label.getName(); });
      thread.getMessages().forEach(function (message) {
        out.push({
          'Message-ID': message.getId(),
          'Thread-ID': thread.getId(),
          'Labels': labels,
          'Date': message.getDate().toUTCString(),
          'From': message.getFrom(),
          'To': message.getTo(),
          'Subject': message.getSubject(),
          'Body': { plain: message.getPlainBody(), html: message.getBody() },
          'Attachments': message.getAttachments().map(function (a) {
            return { id: '', filename: a.getName(), mimeType: a.getContentType(), size: a.getSize() };
          }),
          'Snippet': ''
        });
      });
    });
    folder.createFile('messages-' + start + '.json', JSON.stringify(out), 'application/json');
    start += threads.length;
    props.setProperty('naive.start', String(start));
  }
}
`;

interface Measure {
  executions: number;
  outcomes: string;
  virtualMs: number;
  gmailUnits: number;
  gmailCalls: number;
  gmailDetail: string;
  drive: number;
  driveDetail: string;
  exported: number;
  files: number;
  perMinute: number;
}

function sum(calls: Record<string, number>, prefix: string): number {
  return Object.entries(calls)
    .filter(([method]) => method.startsWith(prefix))
    .reduce((total, [, n]) => total + n, 0);
}

function summarizeOutcomes(outcomes: string[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

function top(calls: Record<string, number>, prefix: string, n = 6): string {
  return Object.entries(calls)
    .filter(([method]) => method.startsWith(prefix))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([method, count]) => `${method.slice(prefix.length)} ${count}`)
    .join(', ');
}

function measure(
  snapshot: AccountingSnapshot,
  virtualMs: number,
  outcomes: string[],
  exported: number,
  files: number,
  gmailPrefix: string,
): Measure {
  return {
    executions: outcomes.length,
    outcomes: summarizeOutcomes(outcomes),
    virtualMs,
    gmailUnits: snapshot.gmailUnits,
    gmailCalls: sum(snapshot.calls, gmailPrefix),
    gmailDetail: top(snapshot.calls, gmailPrefix),
    drive: sum(snapshot.calls, 'DriveApp') + sum(snapshot.calls, 'Drive.REST.'),
    driveDetail: `${sum(snapshot.calls, 'DriveApp')} DriveApp + ${sum(snapshot.calls, 'Drive.REST.')} Drive REST`,
    exported,
    files,
    perMinute: exported / (virtualMs / 60_000),
  };
}

export function runPostroom(
  count = MESSAGES,
  faultRate = 0,
  input: ExportInput = {},
): Measure & { bytes: number; splitFiles: number; unique: number; attachments: number } {
  const workspace = Workspace.create({ now: NOW, faultRate, seed: 3 });
  generateMailbox(workspace, count);
  const runner = new Runner(workspace, { scriptPath: join(ROOT, 'dist/Code.js'), sidebarPath: null });
  const started = workspace.clock.now();
  const result = runExportToEnd(runner, input);
  if (result.error || result.progress?.state !== 'done')
    throw new Error(`postroom export did not finish: ${result.error ?? result.progress?.summary}`);
  const virtualMs = workspace.clock.now() - started;
  const folder = workspace.drive.pathOf(decodeURIComponent(result.progress.folderUrl!.split('/').pop()!));
  const files = workspace.drive.listFiles().filter((f) => f.path.startsWith(`${folder}/messages-`));
  const ids = files.flatMap((f) =>
    (JSON.parse(Buffer.from(workspace.drive.get(f.id)!.bytes).toString('utf8')) as Array<{ 'Message-ID': string }>).map(
      (m) => m['Message-ID'],
    ),
  );
  const exported = ids.length;
  const manifest = JSON.parse(
    Buffer.from(workspace.drive.get(workspace.drive.listFiles().find((f) => f.path === `${folder}/manifest.json`)!.id)!.bytes).toString(
      'utf8',
    ),
  );
  const outcomes = ['completed', ...result.results.map((r) => r.outcome)];
  return {
    ...measure(workspace.accounting.snapshot(), virtualMs, outcomes, exported, files.length, 'Gmail.REST.'),
    bytes: files.reduce((total, f) => total + f.size, 0),
    splitFiles: manifest.limits.splitFiles,
    unique: new Set(ids).size,
    attachments: workspace.drive.listFiles().filter((f) => f.path.startsWith(`${folder}/attachments/`)).length,
  };
}

export function runNaive(count = MESSAGES, maxExecutions = 300): Measure {
  const workspace = Workspace.create({ now: NOW });
  generateMailbox(workspace, count);
  const runner = new Runner(workspace, { source: NAIVE_SCRIPT, sidebarPath: null });
  const started = workspace.clock.now();
  const outcomes: string[] = [];
  for (let i = 0; i < maxExecutions; i++) {
    const result = runner.invoke('exportNaive', [], 'trigger');
    outcomes.push(result.outcome);
    if (result.outcome === 'completed') break;
    if (result.outcome === 'threw') throw new Error(`naive script threw: ${result.error?.message}`);
  }
  const virtualMs = workspace.clock.now() - started;
  const files = workspace.drive.listFiles().filter((f) => f.path.startsWith('NaiveExport/'));
  const exported = files.reduce(
    (total, f) => total + (JSON.parse(Buffer.from(workspace.drive.get(f.id)!.bytes).toString('utf8')) as unknown[]).length,
    0,
  );
  return measure(workspace.accounting.snapshot(), virtualMs, outcomes, exported, files.length, 'GmailApp');
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(2)} min`;
const share = (perMinute: number) => `${Math.round((perMinute / CEILING_PER_MINUTE) * 100)} %`;

export async function run(): Promise<string> {
  const ours = runPostroom();
  const faulty = runPostroom(MESSAGES, 0.15);
  const withFiles = runPostroom(MESSAGES, 0, { includeAttachments: true });
  const naive = runNaive();
  return [
    `## Export benchmark: ${MESSAGES.toLocaleString('en')} messages (emulator accounting, deterministic)`,
    '',
    '| | Postroom export (startExport + runExportContinue) | naive GmailApp script |',
    '|---|---|---|',
    `| messages exported | ${ours.exported.toLocaleString('en')} in ${ours.files} files (${(ours.bytes / 1_048_576).toFixed(1)} MB, ${ours.splitFiles} cut for size) | ${naive.exported.toLocaleString('en')} in ${naive.files} files |`,
    `| executions (6-min limit) | ${ours.executions} (${ours.outcomes}; the first is startExport) | ${naive.executions} (${naive.outcomes}) |`,
    `| virtual time | ${minutes(ours.virtualMs)} | ${minutes(naive.virtualMs)} (${(naive.virtualMs / ours.virtualMs).toFixed(1)}× longer) |`,
    `| messages / min | ${Math.round(ours.perMinute).toLocaleString('en')} (${share(ours.perMinute)} of the 3,000 / min ceiling) | ${Math.round(naive.perMinute).toLocaleString('en')} (${share(naive.perMinute)}) |`,
    `| Gmail quota units | ${ours.gmailUnits.toLocaleString('en')} (${(ours.gmailUnits / ours.exported).toFixed(2)} per message) | ${naive.gmailUnits} (GmailApp is not charged API units) |`,
    `| Gmail calls | ${ours.gmailCalls.toLocaleString('en')}: ${ours.gmailDetail} | ${naive.gmailCalls.toLocaleString('en')}: ${naive.gmailDetail}… |`,
    `| Drive calls | ${ours.drive} (${ours.driveDetail}) | ${naive.drive} (${naive.driveDetail}) |`,
    '',
    `With includeAttachments (1,000 PDFs stored next to the batches): ${withFiles.exported.toLocaleString('en')} messages and ${withFiles.attachments.toLocaleString('en')} attachment files, ` +
      `${withFiles.executions} executions, ${minutes(withFiles.virtualMs)}, ${Math.round(withFiles.perMinute).toLocaleString('en')} messages / min (${share(withFiles.perMinute)}; attachments.get costs 5 units too), ` +
      `${withFiles.gmailUnits.toLocaleString('en')} Gmail units, Drive: ${withFiles.driveDetail} uploads.`,
    '',
    `With 15 % of Gmail and Drive requests failing (429 / 500 / 503 / network, seed 3): ${faulty.exported.toLocaleString('en')} messages (${faulty.unique.toLocaleString('en')} distinct) in ${faulty.files} files, ` +
      `${faulty.executions} executions, ${minutes(faulty.virtualMs)}, ${Math.round(faulty.perMinute).toLocaleString('en')} / min (${share(faulty.perMinute)}), ${faulty.gmailUnits.toLocaleString('en')} Gmail units (retries are charged).`,
    '',
    `Ceiling: 15,000 Gmail units / min / user and messages.get = 5 units, so at most ${CEILING_PER_MINUTE.toLocaleString('en')} messages / min. ` +
      `Aim ≥ 80 % of it: ${share(ours.perMinute)}.`,
  ].join('\n');
}
