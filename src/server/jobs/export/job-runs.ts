// Step: the export's row in the JobRuns tab, opened `running` when the export starts and updated when
// it ends. Found again by run id, so a killed execution never adds a second row.

import { JOB_RUNS_TABLE } from '../../domain/collect/ledger';
import { EXPORT_JOB_RUN_COLUMNS, exportJobRunRow, type ExportRun, type ExportState } from '../../domain/export';
import type { TableSpec } from '../../ports/ledger';
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
