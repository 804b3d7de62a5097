// Step: the export's row in the JobRuns tab, opened `running` when the export starts and updated when
// it ends. Found again by run id, so a killed execution never adds a second row. After a crash (each
// execution may be cut short) it is written in few calls: the spreadsheet and tab found once (kept in
// the run), then the tab read and the row written by the Sheets API; the ledger's way otherwise.

import { JOB_RUNS_TABLE } from '../../domain/collect/ledger';
import { EXPORT_JOB_RUN_COLUMNS, exportJobRunRow, type ExportRun, type ExportState } from '../../domain/export';
import type { TableSpec } from '../../ports/ledger';
import { save, type ExecutionContext } from './context';
import type { ExportDeps } from './deps';

/** The shared JobRuns tab with the export's two columns (added to the tab on first use). */
export const EXPORT_JOB_RUNS_TABLE: TableSpec = {
  ...JOB_RUNS_TABLE,
  headers: EXPORT_JOB_RUN_COLUMNS,
  textColumns: [...(JOB_RUNS_TABLE.textColumns ?? []), 'folder_url'],
};

export function recordJobRun(deps: ExportDeps, run: ExportRun, state: ExportState, finishedAt: number | null, summary: string): void {
  const table = deps.ledger.table(EXPORT_JOB_RUNS_TABLE);
  const values = exportJobRunRow(run, state, finishedAt, summary);
  const rowNumber =
    run.jobRunRow ??
    table.readAll().find((row) => String(row.values.run_id) === run.runId && String(row.values.job) === 'export')?.rowNumber ??
    null;
  if (rowNumber !== null) table.update([{ rowNumber, values }]);
  else run.jobRunRow = table.append([values])[0];
  deps.ledger.flush();
}

/**
 * The row in steps of few calls, each saved (after a crash): the ledger spreadsheet; its time zone and
 * the tab; the tab read, its header completed when it lacks the export's columns, and the row found
 * by run id, else claimed after the last; then the row written, again whole if a write was cut short.
 * A write the Sheets API refuses (a row past the grid) goes the ledger's way.
 */
export function recordJobRunInSteps(ctx: ExecutionContext, state: ExportState, finishedAt: number | null, summary: () => string): void {
  const { deps, run } = ctx;
  const sheet = deps.jobRunsSheet;
  if (!sheet) return recordJobRun(deps, run, state, finishedAt, summary());
  const tab = EXPORT_JOB_RUNS_TABLE.name;
  if (!run.jobRunsSheet) {
    run.jobRunsSheet = { spreadsheetId: sheet.ledgerId(), timeZone: null };
    save(ctx);
  }
  const target = run.jobRunsSheet;
  if (target.timeZone === null) {
    target.timeZone = sheet.prepare(target.spreadsheetId, tab).timeZone;
    save(ctx);
  }
  if (!target.header || run.jobRunRow === null) {
    const values = sheet.read(target.spreadsheetId, tab);
    const header = (values[0] ?? []).map((cell) => String(cell ?? ''));
    while (header.length && header[header.length - 1] === '') header.pop();
    const missing = EXPORT_JOB_RUN_COLUMNS.filter((name) => !header.includes(name));
    if (missing.length) {
      header.push(...missing);
      if (sheet.writeRow(target.spreadsheetId, tab, 1, header, target.timeZone) === 'refused')
        return recordJobRun(deps, run, state, finishedAt, summary());
    }
    const runIdAt = header.indexOf('run_id');
    const jobAt = header.indexOf('job');
    const found = values.findIndex((row, i) => i > 0 && String(row[runIdAt] ?? '') === run.runId && String(row[jobAt] ?? '') === 'export');
    if (run.jobRunRow === null && found > 0) run.jobRunRow = found + 1;
    if (run.jobRunRow === null) {
      // A new row is claimed first (its run id and job, one request), so no other job appends there
      // before the whole row is written; found again by run id if this execution stops before saving.
      const rowNumber = Math.max(values.length, 1) + 1;
      const claim = header.map((name) => (name === 'run_id' ? run.runId : name === 'job' ? 'export' : null));
      if (sheet.writeRow(target.spreadsheetId, tab, rowNumber, claim, target.timeZone) === 'refused')
        return recordJobRun(deps, run, state, finishedAt, summary());
      run.jobRunRow = rowNumber;
    }
    // Saved before the row is written: a write cut short is done again, whole, on the same row.
    target.header = header;
    save(ctx);
  }
  const cells = exportJobRunRow(run, state, finishedAt, summary());
  const row = target.header.map((name) => (name in cells ? cells[name] : null));
  if (sheet.writeRow(target.spreadsheetId, tab, run.jobRunRow, row, target.timeZone) === 'refused')
    recordJobRun(deps, run, state, finishedAt, summary());
}
