// The local CLI's `export` command:
//   npm run local -- export --mailbox DIR [--query Q] [--max N] [--batch-size N] [--since last]
//     [--include-attachments] --out DIR [--kill-every N] [--fault-rate F] [--seed S] [--now ISO]
//     [--user U] [--state-out F]
// It calls the bundle's `startExport` as the sidebar does, then runs the export's executions as its
// continuation trigger would (a killed execution's work is taken up by the next one, after the minute
// the trigger waits), until the export ends; then it copies every file the export stored in Drive into
// --out under its Drive file name (messages-*.json, manifest.json, and attachments/… with
// --include-attachments). Exit 0 when the export completed; 2 for a usage error or options the export
// refuses (the reason on stderr); 1 when the export failed or could not finish.
// `runExportToEnd` is the driver the e2e tests and bench/export.ts use too.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCommand, registerCommand, UsageError, type CliContext } from '../cli-commands';
import type { InvokeError, InvokeResult, Runner } from '../runner';
import type { Workspace } from '../workspace';
import type { ExportProgress } from '../../src/server/domain/export/progress';
import type { ExportRequest } from '../../src/server/domain/export/options';

export const EXPORT_RUN_PROPERTY = 'postroom.export.run';
export const EXPORT_LAST_PROPERTY = 'postroom.export.last';

/** The export's options as the CLI passes them to startExport. */
export type ExportInput = ExportRequest;

export interface ExportDriveResult {
  /** startExport's result (null when it never completed). */
  started: ExportProgress | null;
  /** Every execution after the start, in order. */
  results: InvokeResult[];
  /** The final progress (getExportProgress after the end). */
  progress: ExportProgress | null;
  /** startExport refused the options (or threw): its error. */
  refused: InvokeError | null;
  /** Set when the export could not be driven to its end. */
  error: string | null;
}

function runProgressKey(workspace: Workspace): string | null {
  return workspace.properties.user.values.get(EXPORT_RUN_PROPERTY) ?? null;
}

/** What a run's state holds that moves with every execution, progress or not (counters, the pacer's window). */
const NOT_PROGRESS = [
  'executions',
  'crashStreak',
  'transientStreak',
  'inFlight',
  'gmailCalls',
  'gmailUnits',
  'recentUnits',
  'uploadsUpTo',
  'lastError',
];

/**
 * A fingerprint of how far the run got: its saved state but the counters, so every step an execution
 * saves as done (a folder level, the manifest's id, the history id, a file, a step of the end) counts.
 */
function progressMark(workspace: Workspace): string {
  const raw = runProgressKey(workspace);
  if (!raw) return 'none';
  const run = JSON.parse(raw) as Record<string, unknown>;
  for (const key of NOT_PROGRESS) delete run[key];
  return JSON.stringify(run);
}

/**
 * startExport, then the executions the trigger runs, until no export is in progress. Stops when 40
 * executions in a row make no durable progress (a --kill-every smaller than one execution's setup).
 */
export function runExportToEnd(
  runner: Runner,
  input: ExportInput,
  options: { maxExecutions?: number; onExecution?: (result: InvokeResult) => void } = {},
): ExportDriveResult {
  const { workspace } = runner;
  const maxExecutions = options.maxExecutions ?? 2000;
  const results: InvokeResult[] = [];
  let started: ExportProgress | null = null;
  for (let attempt = 0; started === null && runProgressKey(workspace) === null; attempt++) {
    const start = runner.invoke('startExport', [input], 'rpc');
    options.onExecution?.(start);
    if (start.outcome === 'threw')
      return {
        started: null,
        results,
        progress: null,
        refused: start.error ?? { name: 'Error', message: 'threw' },
        error: start.error?.message ?? 'threw',
      };
    if (start.outcome === 'completed') started = start.value as ExportProgress;
    else if (attempt >= 40)
      return {
        started: null,
        results,
        progress: null,
        refused: null,
        error: `startExport was cut off ${attempt + 1} times (${start.outcome})`,
      };
  }
  let stuck = 0;
  while (runProgressKey(workspace) !== null) {
    if (results.length >= maxExecutions)
      return { started, results, progress: null, refused: null, error: `the export did not finish within ${maxExecutions} executions` };
    const before = progressMark(workspace);
    // The continuation trigger the last execution installed; after a killed one, the trigger a
    // getExportProgress call would install (it comes a minute later).
    const next = workspace.nextTriggerAt();
    let fired = next === null ? [] : runner.advanceAndFire(Math.max(0, next - workspace.clock.now()));
    if (fired.length === 0) {
      workspace.ctx.advance(60_000);
      fired = [runner.invoke('runExportContinue', [], 'trigger')];
    }
    for (const result of fired) {
      results.push(result);
      options.onExecution?.(result);
    }
    stuck =
      progressMark(workspace) === before && fired.every((r) => r.outcome !== 'completed' || runProgressKey(workspace) !== null)
        ? stuck + 1
        : 0;
    if (stuck >= 40)
      return {
        started,
        results,
        progress: null,
        refused: null,
        error: '40 executions in a row made no progress (is --kill-every smaller than what one execution needs?)',
      };
  }
  const view = runner.invoke('getExportProgress', [], 'rpc');
  return { started, results, progress: view.outcome === 'completed' ? (view.value as ExportProgress) : null, refused: null, error: null };
}

/** The export folder's files (path below the folder, bytes), from the Drive store; trashed files left out. */
export function exportedFiles(workspace: Workspace, folderUrl: string): Array<{ name: string; bytes: Uint8Array }> {
  const folderId = decodeURIComponent(folderUrl.split('/').pop() ?? '');
  if (!workspace.drive.get(folderId)) return [];
  const prefix = `${workspace.drive.pathOf(folderId)}/`;
  return workspace.drive
    .listFiles()
    .filter((file) => file.path.startsWith(prefix))
    .map((file) => ({ name: file.path.slice(prefix.length), bytes: workspace.drive.get(file.id)!.bytes as Uint8Array }));
}

function readInput(flags: Record<string, string | true>): ExportInput {
  const input: ExportInput = {};
  const text = (name: string): string | undefined => {
    const value = flags[name];
    if (value === undefined) return undefined;
    if (value === true) throw new UsageError(`--${name} needs a value`);
    return value;
  };
  const whole = (name: string): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} must be a whole number (got "${value}")`);
    return Number(value);
  };
  const query = text('query');
  if (query !== undefined) input.query = query;
  const max = whole('max');
  if (max !== undefined) input.max = max;
  const batchSize = whole('batch-size');
  if (batchSize !== undefined) input.batchSize = batchSize;
  const since = text('since');
  if (since !== undefined) input.since = since;
  if (flags['include-attachments'] === true) input.includeAttachments = true;
  return input;
}

function runExportCommand(cli: CliContext): number {
  if (cli.options.mailbox === null) throw new UsageError('export needs --mailbox DIR (a directory of .eml files, an .mbox or an .eml)');
  const out = cli.flags.out;
  if (typeof out !== 'string' || out === '') throw new UsageError('export needs --out DIR (where the exported files are copied)');
  const input = readInput(cli.flags);
  const drive = runExportToEnd(cli.runner(), input, {
    onExecution: (result) => {
      for (const line of result.logs) cli.info(`[log] ${line}`);
      const calls = Object.values(result.counts.calls).reduce((sum, n) => sum + n, 0);
      cli.info(
        `${result.fn} (${result.kind}): ${result.outcome} after ${((result.endedAt - result.startedAt) / 1000).toFixed(1)} s of virtual time, ${calls} service calls, ${result.counts.gmailUnits} Gmail units`,
      );
    },
  });
  if (drive.refused) {
    cli.info(`export refused: ${drive.refused.message}`);
    return 2;
  }
  if (drive.error || !drive.progress) {
    cli.info(`export: ${drive.error ?? 'no progress could be read'}`);
    return 1;
  }
  const progress = drive.progress;
  const files = progress.folderUrl ? exportedFiles(cli.workspace, progress.folderUrl) : [];
  for (const file of files) {
    const target = join(out, file.name);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, file.bytes);
  }
  const total = cli.workspace.accounting.total;
  cli.print(`Export ${progress.runId}: ${progress.state}`);
  cli.print(`  ${progress.summary}`);
  cli.print(`  folder    ${progress.folderUrl ?? '(none)'}`);
  cli.print(
    `  copied    ${files.length} file(s) into ${out}: ${files
      .map((f) => f.name)
      .filter((n) => !n.startsWith('attachments/'))
      .join(', ')}`,
  );
  cli.print(
    `  emulator  ${drive.results.length + 1} executions (${drive.results.filter((r) => r.outcome !== 'completed').length} cut off), ${(total.virtualMs / 60_000).toFixed(2)} min of virtual time, ${total.gmailUnits} Gmail units`,
  );
  if (progress.state !== 'done') {
    cli.info(`export: ${progress.error ?? progress.summary}`);
    return 1;
  }
  return 0;
}

if (!getCommand('export')) {
  registerCommand('export', {
    summary: 'Export a mailbox to JSON batch files on Drive (the job the sidebar and the card start), then copy them into --out',
    usage:
      '--mailbox DIR [--query Q] [--max N] [--batch-size N] [--since last] [--include-attachments] --out DIR [--kill-every N] [--fault-rate F] [--seed S] [--now ISO] [--user U] [--state-out F]',
    job: 'export',
    flags: { query: 'value', max: 'value', 'batch-size': 'value', since: 'value', 'include-attachments': 'boolean', out: 'value' },
    run: runExportCommand,
  });
}
