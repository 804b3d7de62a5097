// The send's row in the JobRuns tab (job = send), keyed by column name: one mapping for the ledger's
// way (adapters/send-store.ts) and the stepwise Sheets API write (jobs/send/job-run-steps.ts), so both
// write the same cells.

import { jobRunToRow } from '../collect/ledger';
import type { CellValue } from '../ledger-cells';

/** What a send run says of itself (ports/send.ts JobRunRecord). */
export interface SendRunFacts {
  runId: string;
  status: string;
  startedAt: number;
  finishedAt: number;
  total: number;
  sent: number;
  failed: number;
  gmailCalls: number;
  summary: string;
  /** The send log file (Postroom/logs/send-YYYY-MM-DD.jsonl), when known. */
  logUrl?: string;
  /** Messages that came back as delivery failures (bounces), counted among the errors. */
  bounced?: number;
}

export function sendJobRunCells(run: SendRunFacts): Record<string, CellValue> {
  // A run still open (scheduled, or running since its start) has no end yet.
  const open = run.status === 'running' || run.status === 'scheduled';
  const errors = run.failed + (run.bounced ?? 0);
  const cells: Record<string, CellValue> = jobRunToRow({
    runId: run.runId,
    job: 'send',
    status: open ? 'running' : run.status === 'cancelled' ? 'partial' : errors === 0 ? 'succeeded' : run.sent === 0 ? 'failed' : 'partial',
    startedAtMs: run.startedAt,
    finishedAtMs: open ? null : run.finishedAt,
    durationSec: open ? 0 : Math.round((run.finishedAt - run.startedAt) / 1000),
    emailsScanned: run.total,
    attachmentsSeen: 0,
    attachmentsDownloaded: 0,
    receiptsCreated: 0,
    duplicatesSkipped: 0,
    quarantined: 0,
    errorsCount: errors,
    gmailApiCalls: run.gmailCalls,
    logUrl: run.logUrl ?? '',
    summary: run.summary,
  });
  if (run.status === 'cancelled' || run.status === 'scheduled') cells.status = run.status;
  return cells;
}
