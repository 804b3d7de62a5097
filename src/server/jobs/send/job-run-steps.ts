// Step: an ended send's row in the JobRuns tab in saved steps of few calls each, so that executions all
// cut short (a handful of calls after the lock and the state's load) still write it: the ledger's id
// and its time zone, the tab made when missing; the tab read, its header completed and the run's row
// found by run id, else claimed after the last (run id and job); then the row written whole, again on
// the same row when a write was cut short. The same port and order as the export's (jobs/export/job-runs.ts).

import { JOB_RUN_COLUMNS, JOB_RUNS_TABLE } from '../../domain/collect/ledger';
import type { JobRunSteps } from '../../domain/send/job-state';
import { sendJobRunCells } from '../../domain/send/job-run-row';
import type { JobRunsSheet } from '../../ports/job-runs-sheet';
import type { JobRunRecord } from '../../ports/send';

/**
 * Writes the run's row from where `steps` says it got, saving each step. A write the Sheets API
 * refuses (a row past the grid) goes `otherwise` (the ledger's way, which finds the row by run id).
 */
export function writeJobRunInSteps(
  sheet: JobRunsSheet,
  run: JobRunRecord,
  steps: JobRunSteps,
  save: (steps: JobRunSteps) => void,
  otherwise: (run: JobRunRecord) => void,
): void {
  const tab = JOB_RUNS_TABLE.name;
  let done = steps;
  const step = (next: JobRunSteps) => {
    done = next;
    save(next);
  };
  // The ledger's id (the state's load has it: no call) and its time zone, the tab made: one save.
  if (!done.spreadsheetId || !done.timeZone) {
    const spreadsheetId = done.spreadsheetId || sheet.ledgerId();
    step({ ...done, spreadsheetId, timeZone: sheet.prepare(spreadsheetId, tab).timeZone });
  }
  const spreadsheetId = done.spreadsheetId!;
  const timeZone = done.timeZone!;
  if (!done.header || !done.row) {
    const values = sheet.read(spreadsheetId, tab);
    const header = (values[0] ?? []).map((cell) => String(cell ?? ''));
    while (header.length && header[header.length - 1] === '') header.pop();
    const missing = JOB_RUN_COLUMNS.filter((name) => !header.includes(name));
    if (missing.length) {
      header.push(...missing);
      if (sheet.writeRow(spreadsheetId, tab, 1, header, timeZone) === 'refused') return otherwise(run);
    }
    const runIdAt = header.indexOf('run_id');
    const jobAt = header.indexOf('job');
    const found = values.findIndex((row, i) => i > 0 && String(row[runIdAt] ?? '') === run.runId && String(row[jobAt] ?? '') === 'send');
    let row = found > 0 ? found + 1 : 0;
    if (!row) {
      // Claimed first (run id and job, one request), so no other job appends there before the whole
      // row is written; found again by run id when this execution stops before saving.
      row = Math.max(values.length, 1) + 1;
      const claim = header.map((name) => (name === 'run_id' ? run.runId : name === 'job' ? 'send' : null));
      if (sheet.writeRow(spreadsheetId, tab, row, claim, timeZone) === 'refused') return otherwise(run);
    }
    // Saved before the row is written: a write cut short is done again, whole, on the same row.
    step({ ...done, header, row });
  }
  const cells = sendJobRunCells(run);
  const values = done.header!.map((name) => (name in cells ? cells[name] : null));
  // Dates to the millisecond: the same values as the ledger's way (SpreadsheetApp) writes.
  if (sheet.writeRow(spreadsheetId, tab, done.row!, values, timeZone, true) === 'refused') otherwise(run);
}
