// Step: the export's row in the JobRuns tab, opened `running` when the export starts and updated when
// it ends. Found again by run id, so a killed execution never adds a second row. After a crash (each
// execution may be cut short) it is written in few calls: the spreadsheet and tab found once (kept in
// the run), then the tab read and the row written by the Sheets API; the ledger's way otherwise.

import { isExecutionOver } from '../../domain/errors';
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
 * The row in steps of few calls (after a crash): spreadsheet and tab (saved), then read, header
 * completed when it lacks the export's columns, and the row written (found by run id, else after the
 * last). A write the Sheets API refuses (a full grid) goes the ledger's way.
 */
export function recordJobRunInSteps(ctx: ExecutionContext, state: ExportState, finishedAt: number | null, summary: () => string): void {
  const { deps, run } = ctx;
  const sheet = deps.jobRunsSheet;
  if (!sheet) return recordJobRun(deps, run, state, finishedAt, summary());
  const tab = EXPORT_JOB_RUNS_TABLE.name;
  try {
    if (!run.jobRunsSheet) {
      run.jobRunsSheet = { spreadsheetId: sheet.ledgerId(), timeZone: null };
      save(ctx);
    }
    if (run.jobRunsSheet.timeZone === null) {
      run.jobRunsSheet.timeZone = sheet.prepare(run.jobRunsSheet.spreadsheetId, tab).timeZone;
      save(ctx);
    }
    const { spreadsheetId, timeZone } = run.jobRunsSheet;
    const values = sheet.read(spreadsheetId, tab);
    const header = (values[0] ?? []).map((cell) => String(cell ?? ''));
    while (header.length && header[header.length - 1] === '') header.pop();
    const missing = EXPORT_JOB_RUN_COLUMNS.filter((name) => !header.includes(name));
    if (missing.length) {
      header.push(...missing);
      sheet.writeRow(spreadsheetId, tab, 1, header, timeZone);
    }
    const runIdAt = header.indexOf('run_id');
    const jobAt = header.indexOf('job');
    const found = values.findIndex((row, i) => i > 0 && String(row[runIdAt] ?? '') === run.runId && String(row[jobAt] ?? '') === 'export');
    const rowNumber = run.jobRunRow ?? (found > 0 ? found + 1 : Math.max(values.length, 1) + 1);
    const cells = exportJobRunRow(run, state, finishedAt, summary());
    sheet.writeRow(
      spreadsheetId,
      tab,
      rowNumber,
      header.map((name) => (name in cells ? cells[name] : null)),
      timeZone,
    );
    run.jobRunRow = rowNumber;
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    recordJobRun(deps, run, state, finishedAt, summary());
  }
}
