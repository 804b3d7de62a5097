// The two ledger tabs of the collect job, as column lists and row builders: `Receipts` (one row per
// collected or quarantined attachment) and `JobRuns` (one row per run, with its metrics).
// Text safety: every value that came from an email (subject, sender, file name…) and every identifier
// is written through asSheetText into a column the LedgerTable adapter formats as plain text ("@",
// see TableSpec.textColumns). In a plain-text cell Sheets stores the string verbatim: "=HYPERLINK(…)"
// stays the text it is, "2025-01-31" does not become a date, "00123" keeps its zeros, and reading it
// back gives the same string (the dedupe keys depend on that). We deliberately do NOT prefix "'":
// Sheets consumes a leading apostrophe as a hidden quote prefix in an automatic-format cell but the
// behaviour in a plain-text cell is not documented, so a prefix could end up stored in the data; the
// "@" format is the one guarantee, and the adapter sets it on the column and on every appended block.
// For a target that is NOT formatted as text (a CSV export, a user's own sheet) use quoteForFormulaCell.
// https://developers.google.com/apps-script/reference/spreadsheet/range#setNumberFormat(String)

import type { CellValue, TableSpec } from '../ledger-cells';
import type { ReceiptState } from './naming';

/** Sheets refuses a cell over 50,000 characters ("Your input contains more than the maximum of 50000 characters in a single cell"). */
export const SHEET_CELL_MAX_CHARS = 50_000;

export const RECEIPT_COLUMNS = [
  'source',
  'gmail_message_id',
  'attachment_key',
  'original_filename',
  'content_type',
  'filesize',
  'sha256',
  'storage_path',
  'drive_file_id',
  'drive_url',
  'sender',
  'subject',
  'received_at',
  'state',
  'reason',
  'gmail_url',
] as const;
export type ReceiptColumn = (typeof RECEIPT_COLUMNS)[number];

export const JOB_RUN_COLUMNS = [
  'run_id',
  'job',
  'status',
  'started_at',
  'finished_at',
  'duration_sec',
  'emails_scanned',
  'attachments_seen',
  'attachments_downloaded',
  'receipts_created',
  'duplicates_skipped',
  'quarantined',
  'errors_count',
  'gmail_api_calls',
  'log_url',
  'summary',
] as const;
export type JobRunColumn = (typeof JOB_RUN_COLUMNS)[number];

/** Everything but filesize (a number) and received_at (a date) is text. */
export const RECEIPTS_TABLE: TableSpec = {
  name: 'Receipts',
  headers: RECEIPT_COLUMNS,
  textColumns: RECEIPT_COLUMNS.filter((c) => c !== 'filesize' && c !== 'received_at'),
};

export const JOB_RUNS_TABLE: TableSpec = {
  name: 'JobRuns',
  headers: JOB_RUN_COLUMNS,
  textColumns: ['run_id', 'job', 'status', 'log_url', 'summary'],
};

/**
 * A value as text for a plain-text ("@") column: null/undefined → '', anything else String()-ed, cut
 * to Sheets' 50,000-character cell limit. The content is otherwise kept exactly (see the file comment).
 */
export function asSheetText(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.length > SHEET_CELL_MAX_CHARS ? text.slice(0, SHEET_CELL_MAX_CHARS - 1) + '…' : text;
}

/**
 * For a cell that is NOT formatted as plain text: a leading `'` on a value a spreadsheet would read as a
 * formula (`=`, `+`, `-`, `@`, or a leading tab / CR, per OWASP's CSV-injection advice), else unchanged.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function quoteForFormulaCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface ReceiptRecord {
  source: 'gmail';
  gmailMessageId: string;
  attachmentKey: string;
  originalFilename: string;
  contentType: string;
  filesize: number;
  /** '' when the bytes were not downloaded (a too-large file quarantined on its declared size). */
  sha256: string;
  /** Relative to the root folder ('' when no file was stored). */
  storagePath: string;
  driveFileId: string;
  driveUrl: string;
  /** `Name <address>` or the address. */
  sender: string;
  subject: string;
  /** Gmail's internalDate (epoch ms). */
  receivedAtMs: number;
  state: ReceiptState;
  /** '' for an ingested file; the quarantine reason otherwise (e.g. "magic_mismatch: declared application/pdf but the bytes are jpeg"). */
  reason: string;
}

/** A Receipts row keyed by column name, for LedgerTable.append. received_at is a Date (Sheets shows it in the spreadsheet's time zone). */
export function receiptToRow(receipt: ReceiptRecord): Record<ReceiptColumn, CellValue> {
  return {
    source: asSheetText(receipt.source),
    gmail_message_id: asSheetText(receipt.gmailMessageId),
    attachment_key: asSheetText(receipt.attachmentKey),
    original_filename: asSheetText(receipt.originalFilename),
    content_type: asSheetText(receipt.contentType),
    filesize: receipt.filesize,
    sha256: asSheetText(receipt.sha256),
    storage_path: asSheetText(receipt.storagePath),
    drive_file_id: asSheetText(receipt.driveFileId),
    drive_url: asSheetText(receipt.driveUrl),
    sender: asSheetText(receipt.sender),
    subject: asSheetText(receipt.subject),
    received_at: new Date(receipt.receivedAtMs),
    state: asSheetText(receipt.state),
    reason: asSheetText(receipt.reason),
    gmail_url: asSheetText(gmailMessageUrl(receipt.gmailMessageId)),
  };
}

/** The message in Gmail's web client (any label, the signed-in account): where a person checks a quarantined piece. */
export function gmailMessageUrl(messageId: string): string {
  return `https://mail.google.com/mail/u/0/#all/${encodeURIComponent(messageId)}`;
}

export type JobName = 'collect' | 'send' | 'export';
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'dry_run';

export interface JobRunRecord {
  runId: string;
  job: JobName;
  status: RunStatus;
  startedAtMs: number;
  /** null while running. */
  finishedAtMs: number | null;
  durationSec: number;
  emailsScanned: number;
  attachmentsSeen: number;
  attachmentsDownloaded: number;
  receiptsCreated: number;
  duplicatesSkipped: number;
  quarantined: number;
  errorsCount: number;
  gmailApiCalls: number;
  logUrl: string;
  summary: string;
}

/** A JobRuns row keyed by column name; finished_at is '' while the run is open. */
export function jobRunToRow(run: JobRunRecord): Record<JobRunColumn, CellValue> {
  return {
    run_id: asSheetText(run.runId),
    job: run.job,
    status: run.status,
    started_at: new Date(run.startedAtMs),
    finished_at: run.finishedAtMs === null ? '' : new Date(run.finishedAtMs),
    duration_sec: run.durationSec,
    emails_scanned: run.emailsScanned,
    attachments_seen: run.attachmentsSeen,
    attachments_downloaded: run.attachmentsDownloaded,
    receipts_created: run.receiptsCreated,
    duplicates_skipped: run.duplicatesSkipped,
    quarantined: run.quarantined,
    errors_count: run.errorsCount,
    gmail_api_calls: run.gmailApiCalls,
    log_url: asSheetText(run.logUrl),
    summary: asSheetText(run.summary),
  };
}
