// The export's row in the JobRuns tab (shared with collect and send): job = export, the counts in the
// shared columns (emails_scanned = messages selected, attachments_seen / attachments_downloaded =
// attachments listed / stored, errors_count = messages gone from Gmail + attachments not stored),
// duration, Gmail calls, and two columns of its own added to the tab on first use: folder_url (the
// export folder) and gmail_units.

import { JOB_RUN_COLUMNS, asSheetText, jobRunToRow } from '../collect/ledger';
import type { ExportRun, ExportState } from './run-state';

export const EXPORT_JOB_RUN_COLUMNS = [...JOB_RUN_COLUMNS, 'folder_url', 'gmail_units'] as const;

/** A cell as Sheets takes it (the ports' CellValue, spelled out so the domain imports only the domain). */
export type JobRunCell = string | number | boolean | Date;

/** JobRuns' status words: running, succeeded, partial (done with messages or files missing), cancelled, failed. */
export function jobRunStatus(state: ExportState, run: Pick<ExportRun, 'missing' | 'attachmentsFailed'>): string {
  if (state === 'running' || state === 'idle') return 'running';
  if (state === 'done') return run.missing + run.attachmentsFailed > 0 ? 'partial' : 'succeeded';
  return state;
}

export function exportJobRunRow(
  run: ExportRun,
  state: ExportState,
  finishedAt: number | null,
  summary: string,
): Record<string, JobRunCell> {
  const row: Record<string, JobRunCell> = jobRunToRow({
    runId: run.runId,
    job: 'export',
    status: 'running',
    startedAtMs: run.startedAt,
    finishedAtMs: finishedAt,
    durationSec: finishedAt === null ? 0 : Math.round((finishedAt - run.startedAt) / 1000),
    emailsScanned: run.total ?? 0,
    attachmentsSeen: run.attachmentsSeen,
    attachmentsDownloaded: run.attachmentsStored,
    receiptsCreated: 0,
    duplicatesSkipped: 0,
    quarantined: 0,
    errorsCount: run.missing + run.attachmentsFailed,
    gmailApiCalls: run.gmailCalls,
    logUrl: '',
    summary,
  });
  row.status = jobRunStatus(state, run);
  row.folder_url = asSheetText(run.folderUrl ?? '');
  row.gmail_units = run.gmailUnits;
  return row;
}
