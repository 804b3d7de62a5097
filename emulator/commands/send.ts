// The local CLI's `send` command: `npm run local -- send --list <csv> --files <dir> [--settings …]
// [--sent-out <dir>] [--key K] [--period YYYY-MM] [--max N] [--max-executions N] [--state-out …]
// [--fault-rate …] [--kill-every …]`. The CSV (comma or semicolon separated, RFC 4180 quotes, UTF-8, or
// Windows-1252 with a notice) REPLACES the `Sends` tab of the Postroom spreadsheet (the demo workspace
// comes without its own send list here), the files of <dir> the attachments folder
// (settings.attachmentsFolder, a path from My Drive). Then it does what the open sidebar does:
// startSend, then continueSend again and again while the job has work, waiting (virtual time, firing
// due triggers) when the job says to wait: a quota pause, a retry delay, a row in doubt settling. A
// killed execution (--kill-every) is simply followed by the next call. Every message in SENT is
// written as .eml into --sent-out. `driveSend` is the same driver the e2e tests and bench/send.ts use.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { countFlag, getCommand, registerCommand, UsageError, type CliContext } from '../cli-commands';
import { DEMO_SEND_FOLDER } from '../demo/index';
import type { InvokeError, InvokeResult, Runner } from '../runner';
import type { Workspace } from '../workspace';

export const SEND_SETTINGS_PROPERTY = 'postroom.settings.send';
export const SENDS_TAB = 'Sends';

/** Settings used when none are given: French invoice wording with {{key}} and {{period}}. */
export const DEFAULT_CLI_SEND_SETTINGS = {
  subjectTemplate: 'Votre facture {{key}} - {{period}}',
  textTemplate:
    'Bonjour,\n\nVeuillez trouver ci-joint votre facture {{key}} pour la période {{period}}.\n\nCordialement,\nLe service comptabilité',
  htmlTemplate:
    '<p>Bonjour,</p><p>Veuillez trouver ci-joint votre facture <b>{{key}}</b> pour la période {{period}}.</p><p>Cordialement,<br>Le service comptabilité</p>',
  senderName: 'Comptabilité',
  attachmentsFolder: 'Postroom/invoices',
};

/** What startSend / continueSend / pauseSend… return (src/server/jobs/send/chunk.ts ContinueResult). */
export interface SendContinue {
  progress: null | {
    jobId: string;
    state: string;
    total: number;
    processed: number;
    sent: number;
    failed: number;
    remaining: number;
    ratePerMinute: number | null;
    elapsedMs: number;
    events: string[];
    resumeAt: number | null;
  };
  more: boolean;
  waitMs: number;
  busy: boolean;
  pendingControl: string | null;
}

export interface SendDriveResult {
  results: InvokeResult[];
  final: SendContinue | null;
  error: InvokeError | null;
}

export interface DriveOptions {
  /** Start with startSend(filter) (default {}); 'planned': startSend() of the planned run; null: only continue. */
  filter?: Record<string, unknown> | 'planned' | null;
  maxExecutions?: number;
  /** Called after each execution (tests inspect the state between executions). */
  onExecution?: (result: InvokeResult) => void;
}

function isPostroomError(error: InvokeError | undefined, code: string): boolean {
  return Boolean(error && (error.message.includes(code) || error.name === code));
}

/**
 * The open sidebar, as a loop: start, then continue while `more`, waiting `waitMs` of virtual time
 * (firing the job's own triggers meanwhile). A killed or timed-out execution is followed by the next
 * call; a start that died before the job existed is started again.
 */
export function driveSend(runner: Runner, options: DriveOptions = {}): SendDriveResult {
  const results: InvokeResult[] = [];
  const max = options.maxExecutions ?? 500;
  const record = (result: InvokeResult) => {
    results.push(result);
    options.onExecution?.(result);
    return result;
  };
  let final: SendContinue | null = null;
  let started = options.filter === null;
  const filter = options.filter ?? {};
  while (results.length < max) {
    let result: InvokeResult;
    if (!started) {
      result = record(filter === 'planned' ? runner.rpc('startSend') : runner.rpc('startSend', filter));
      if (result.outcome === 'completed') started = true;
      else if (result.outcome === 'threw') return { results, final, error: result.error ?? null };
      else {
        // Killed: did the job come to exist? (getSendProgress reads the saved state only.)
        const probe = record(runner.rpc('getSendProgress'));
        const state = (probe.value as { progress: SendContinue['progress'] } | undefined)?.progress?.state;
        if (probe.outcome === 'completed' && state && state !== 'planned') started = true;
        continue;
      }
    } else {
      result = record(runner.rpc('continueSend'));
      if (result.outcome === 'threw') {
        if (isPostroomError(result.error, 'ALREADY_RUNNING')) continue;
        return { results, final, error: result.error ?? null };
      }
      if (result.outcome !== 'completed') continue;
    }
    final = result.value as SendContinue;
    if (!final.more) return { results, final, error: null };
    if (final.waitMs > 0) results.push(...runner.advanceAndFire(final.waitMs));
  }
  return { results, final, error: { name: 'Error', message: `send did not finish within ${max} executions` } };
}

/** RFC 4180 CSV; the delimiter (',' or ';') is the one the header line uses most. */
export function parseCsv(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new UsageError('--list: unterminated quoted field in the CSV');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  txt: 'text/plain',
  csv: 'text/csv',
  xml: 'application/xml',
  zip: 'application/zip',
};

/** Creates the folder path (from My Drive) in the emulated Drive; returns its id. */
export function ensureDriveFolder(workspace: Workspace, path: string): string {
  let parent = workspace.drive.rootId;
  for (const segment of path
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const existing = workspace.drive.children(parent, 'folder').find((folder) => folder.name === segment);
    parent = existing ? existing.id : workspace.drive.createFolder(segment, parent).id;
  }
  return parent;
}

/** The settings stored for send (user properties), or null. */
export function storedSendSettings(workspace: Workspace): Record<string, unknown> | null {
  const raw = workspace.properties.user.values.get(SEND_SETTINGS_PROPERTY);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
}

export function storeSendSettings(workspace: Workspace, settings: Record<string, unknown>): void {
  const store = workspace.properties.user;
  const next = new Map(store.values);
  next.set(SEND_SETTINGS_PROPERTY, JSON.stringify(settings));
  store.commit(next);
}

/**
 * Loads a send list (header + rows) and its files into the workspace. The list REPLACES whatever the
 * Sends tab held (a fresh tab, never cells written over an older list, which would merge the two).
 */
export function loadSendList(
  workspace: Workspace,
  rows: string[][],
  files: Array<{ name: string; bytes: Uint8Array; mimeType?: string }>,
  folderPath: string,
): void {
  const container = workspace.sheets.get(workspace.containerId as string);
  const previous = container?.sheets.findIndex((candidate) => candidate.name === SENDS_TAB) ?? -1;
  if (container && previous >= 0) container.sheets.splice(previous, 1);
  workspace.writeContainerTab(SENDS_TAB, rows);
  // Workspace.writeContainerTab does not grow the grid: a list longer than the default 1,000 rows would
  // sit outside the sheet's dimensions (reported to the emulator's owners). Grow it as Sheets would.
  const sheet = workspace.sheets.get(workspace.containerId as string)?.sheets.find((candidate) => candidate.name === SENDS_TAB);
  if (sheet) {
    sheet.maxRows = Math.max(sheet.maxRows, rows.length + 1);
    sheet.maxColumns = Math.max(sheet.maxColumns, ...rows.map((r) => r.length));
  }
  const folderId = ensureDriveFolder(workspace, folderPath);
  for (const file of files) {
    const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
    workspace.drive.createFile(
      file.name,
      file.bytes,
      file.mimeType ?? MIME_BY_EXTENSION[extension] ?? 'application/octet-stream',
      folderId,
    );
  }
}

/** Writes the SENT messages as .eml files (oldest first, "001-<id>.eml"). Returns how many. */
export function writeSentMessages(workspace: Workspace, dir: string): number {
  mkdirSync(dir, { recursive: true });
  const sent = workspace.mailbox.sentMessages();
  sent.forEach((message, index) => writeFileSync(join(dir, `${String(index + 1).padStart(4, '0')}-${message.id}.eml`), message.raw));
  return sent.length;
}

function flagText(cli: CliContext, name: string): string | null {
  const value = cli.flags[name];
  return typeof value === 'string' ? value : null;
}

/** Windows-1252's 0x80–0x9F (the rest is Latin-1); the five unassigned bytes map to themselves (WHATWG). */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Decodes Windows-1252 by hand: Node 20's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1 (€ lost). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
  return out;
}

/**
 * The CSV's text. UTF-8 (with or without BOM) is read as is; a file that is not valid UTF-8 is what
 * Excel's plain "CSV" export writes on Windows, Windows-1252: it is decoded as such, with a notice
 * (never "Lyc\uFFFDe" in a subject). UTF-16 and binary files are refused with a clear message.
 */
export function decodeCsvBytes(bytes: Uint8Array, name: string): { text: string; notice: string | null } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UsageError(`--list: ${name} is UTF-16 text; save it as "CSV UTF-8" (or CSV) and try again`);
  }
  if (bytes.includes(0)) throw new UsageError(`--list: ${name} is not a text CSV file (it holds NUL bytes)`);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), notice: null };
  } catch {
    const text = decodeWindows1252(bytes);
    return {
      text,
      notice: `send: ${name} is not UTF-8; read as Windows-1252 (Excel's "CSV" on Windows). Save it as "CSV UTF-8" to avoid this notice.`,
    };
  }
}

/**
 * `--list <csv> --files <dir>`: the CSV (UTF-8, or Windows-1252 with a notice) REPLACES the Sends tab,
 * the files go to the attachments folder of the stored send settings (the default French templates are
 * stored when none are). Used by the `send` command (and by the sidebar preview on its branch).
 */
export function loadSendListFromDisk(workspace: Workspace, list: string, filesDir: string, info: (text: string) => void): void {
  let csvBytes: Uint8Array;
  try {
    csvBytes = new Uint8Array(readFileSync(list));
  } catch {
    throw new UsageError(`--list: cannot read ${list}`);
  }
  const decoded = decodeCsvBytes(csvBytes, list);
  let entries: string[];
  try {
    entries = readdirSync(filesDir).filter((name) => statSync(join(filesDir, name)).isFile());
  } catch {
    throw new UsageError(`--files: not a directory: ${filesDir}`);
  }
  const rows = parseCsv(decoded.text);
  if (rows.length < 1) throw new UsageError('--list: the CSV is empty');
  if (decoded.notice) info(decoded.notice);
  let settings = storedSendSettings(workspace);
  if (!settings) {
    settings = { ...DEFAULT_CLI_SEND_SETTINGS };
    storeSendSettings(workspace, settings);
    info('send: no --settings given, using the default French invoice templates');
  }
  const folder =
    typeof settings.attachmentsFolder === 'string' && settings.attachmentsFolder ? settings.attachmentsFolder : 'Postroom/invoices';
  loadSendList(
    workspace,
    rows,
    entries.map((name) => ({ name: basename(name), bytes: new Uint8Array(readFileSync(join(filesDir, name))) })),
    folder,
  );
  info(`send: ${rows.length - 1} row(s) in tab "${SENDS_TAB}", ${entries.length} file(s) in Drive "${folder}"`);
}

registerCommand('send', {
  summary: 'Send the invoices of a CSV send list with their files, exactly once, as the sidebar would',
  usage: '--list <file.csv> --files <dir> [--sent-out <dir>] [--key K] [--period YYYY-MM] [--max N] [--max-executions N]',
  job: 'send',
  flags: { list: 'value', files: 'value', 'sent-out': 'value', key: 'value', period: 'value', max: 'count', 'max-executions': 'count' },
  // The user's list replaces the demo's: without --mailbox, the demo mailbox comes without its send list.
  demoSendList: false,
  run(cli) {
    const list = flagText(cli, 'list');
    const filesDir = flagText(cli, 'files');
    if (!list) throw new UsageError('send needs --list <file.csv>');
    if (!filesDir) throw new UsageError('send needs --files <dir>');
    const { workspace } = cli;
    loadSendListFromDisk(workspace, list, filesDir, cli.info);
    const filter: Record<string, unknown> = {};
    if (flagText(cli, 'key')) filter.key = flagText(cli, 'key');
    if (flagText(cli, 'period')) filter.period = flagText(cli, 'period');
    const max = countFlag(cli.flags, 'max');
    if (max !== null) filter.max = max;
    const maxExecutions = countFlag(cli.flags, 'max-executions', 1000);
    const startMs = workspace.clock.now();
    const outcome = driveSend(cli.runner(), { filter, maxExecutions });
    const progress = outcome.final?.progress;
    for (const line of progress?.events ?? []) cli.info(`  ${line}`);
    const sentOut = flagText(cli, 'sent-out');
    const written = sentOut ? writeSentMessages(workspace, sentOut) : 0;
    const acc = workspace.accounting;
    const summary = {
      state: progress?.state ?? null,
      total: progress?.total ?? 0,
      sent: progress?.sent ?? 0,
      failed: progress?.failed ?? 0,
      remaining: progress?.remaining ?? 0,
      executions: outcome.results.length,
      killedExecutions: acc.killedExecutions,
      virtualSeconds: Math.round((workspace.clock.now() - startMs) / 1000),
      // Of which the script's own JavaScript (--cpu-time measured, the default; 0 with --cpu-time off).
      scriptCpuSeconds: Math.round(acc.total.scriptCpuMs / 100) / 10,
      gmailUnits: acc.total.gmailUnits,
      sentMessagesInMailbox: workspace.mailbox.sentMessages().length,
      emlWritten: written,
      error: outcome.error?.message ?? null,
    };
    cli.printJson(summary);
    if (sentOut) cli.info(`send: ${written} message(s) written to ${sentOut}`);
    return outcome.error || !progress || (progress.state !== 'done' && progress.state !== 'cancelled') ? 1 : 0;
  },
});

// `npm start` runs `demo` (the README's main job): after what it already does (the opening, the
// collect), the demo's January invoices are sent from the Sends tab, exactly as the sidebar would.
const demo = getCommand('demo');
if (demo && !(demo as { sends?: boolean }).sends) {
  registerCommand(
    'demo',
    {
      ...demo,
      summary: `${demo.summary}; then sends the demo's January invoices`,
      sends: true,
      async run(cli) {
        const code = await demo.run(cli);
        if (code !== 0) return code;
        return runDemoSend(cli);
      },
    } as typeof demo,
    { replace: true },
  );
}

function runDemoSend(cli: CliContext): number {
  const { workspace } = cli;
  const rows = workspace.sheets.tabValues(workspace.containerId as string)[SENDS_TAB] ?? [];
  cli.print('');
  if (rows.length < 2) {
    cli.info('send: no demo send list in this workspace (a --mailbox was given?): nothing to send');
    return 0;
  }
  if (!storedSendSettings(workspace)) storeSendSettings(workspace, { ...DEFAULT_CLI_SEND_SETTINGS, attachmentsFolder: DEMO_SEND_FOLDER });
  cli.info(`send settings: the default French invoice templates, PDFs from Drive "${DEMO_SEND_FOLDER}"`);
  const startMs = workspace.clock.now();
  const outcome = driveSend(cli.runner(), { filter: {}, maxExecutions: 100 });
  const progress = outcome.final?.progress;
  cli.print(`Send ${progress?.jobId ?? ''}: ${progress?.state ?? 'not started'}`);
  for (const line of progress?.events ?? []) cli.print(`  ${line}`);
  cli.print(
    `  ${outcome.results.length} execution(s), ${Math.round((workspace.clock.now() - startMs) / 1000)} s of virtual time, ${workspace.mailbox.sentMessages().length} message(s) in SENT`,
  );
  if (outcome.error) cli.print(`  error: ${outcome.error.message}`);
  return outcome.error || !progress || progress.state !== 'done' ? 1 : 0;
}
