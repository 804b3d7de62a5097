// The durable state of an export between executions (one JSON value in the user properties, under the
// 9 KB limit): the options it started with, the Gmail query actually run, its folder, its cursor in
// the snapshot of message ids (the snapshot itself is a file in the export folder: 50,000 ids would
// not fit in the properties), the counters, and the batch file in doubt (`intent`): written down
// before the file is written, cleared by the checkpoint after it, so a killed execution's file is
// found again by name and size instead of written twice.

import type { ExportOptions } from './options';

export interface BatchIntent {
  /** 1-based file number and its name. */
  index: number;
  name: string;
  /** Snapshot positions it covers, [from, to), and how many messages it holds (ids gone from Gmail are not in it). */
  from: number;
  to: number;
  count: number;
  /** What the batch adds to the run's counters at its checkpoint. */
  missingIds: string[];
  attachments: { seen: number; stored: number; failed: number };
  /** UTF-8 bytes of the file text. */
  bytes: number;
  splitForSize: boolean;
  firstId: string;
  lastId: string;
}

export interface ExportRun {
  version: 1;
  runId: string;
  options: ExportOptions;
  /** The query sent to Gmail (the user's, plus `after:` for `since`). */
  gmailQuery: string;
  /** Ids the previous export of the same query already holds (same second as its newest message). */
  skipIds: string[];
  startedAt: number;
  folderName: string;
  folderId: string | null;
  folderUrl: string | null;
  /** The export folder's attachments/ folder, once created (includeAttachments). */
  attachmentsFolderId: string | null;
  /** Messages selected (snapshot size); null while listing. */
  total: number | null;
  /** Index in the snapshot of the next message to export. */
  cursor: number;
  exported: number;
  files: number;
  bytes: number;
  attachmentsSeen: number;
  attachmentsStored: number;
  attachmentsFailed: number;
  /** Messages of the snapshot Gmail no longer has (deleted during the export). */
  missing: number;
  missingIds: string[];
  intent: BatchIntent | null;
  /** Snapshot position up to which attachments may have been uploaded (saved before each upload round). */
  uploadsUpTo: number;
  /** True from an execution's start to its clean end: still true at the next start means it died. */
  inFlight: boolean;
  /** Executions in a row that died before writing a file: each makes the next batch smaller (50, 25, 12…). */
  crashStreak: number;
  executions: number;
  /** Executions in a row that ended on a transient Gmail / Drive error. */
  transientStreak: number;
  gmailCalls: number;
  gmailUnits: number;
  /** The mailbox's history id when the snapshot was taken. */
  historyId: string | null;
  /** Newest internalDate of the snapshot, and the ids sharing its second (for the next `since: 'last'`). */
  newestMs: number | null;
  newestIds: string[];
  /** Quota units spent in the last minute: [epoch ms, units] (the pacer's window across executions). */
  recentUnits: Array<[number, number]>;
  jobRunRow: number | null;
  lastError: string | null;
  /**
   * Found or made once and kept, so an execution after a crash reaches each by id (one request)
   * instead of walking Drive again: the ids of the `folder` path's levels, the manifest and the snapshot.
   */
  folderTrail?: string[];
  manifestId?: string | null;
  snapshotId?: string | null;
  /** A recurring runExportContinue trigger is in place (no execution needs to arm a safety one). */
  repeating?: boolean;
  /** The platform refused the recurring trigger (an add-on): each execution arms a one-off safety trigger. */
  noRepeat?: boolean;
  /** In an add-on: the hourly safety net (runExportSafetyNet) is in place; executions arm their one-off after their first file. */
  hourlyNet?: boolean;
  /** The platform refused the hourly net too: each execution arms a one-off safety trigger before its work. */
  noHourlyNet?: boolean;
  /** One-off runExportContinue triggers added without a listing since the last one that replaced them all. */
  armedOneOffs?: number;
  /** The mail transport the export reads with (chosen at its start; later executions need not read the settings). */
  mailTransport?: 'rest' | 'advanced';
  /** The next ids of the snapshot from the cursor (saved with each checkpoint: a read needs no snapshot download). */
  aheadIds?: string[];
  /** The ledger spreadsheet and its time zone, once found for the JobRuns row written in few calls. */
  jobRunsSheet?: { spreadsheetId: string; timeZone: string | null; header?: string[] } | null;
  /** The end in progress, taken up again step by step after a crash. */
  finishing?: FinishingRun | null;
}

/** An export's end under way: its outcome (decided once), and the steps already done. */
export interface FinishingRun {
  state: 'done' | 'cancelled' | 'failed';
  finishedAt: number;
  error: string | null;
  /** manifest: the last manifest written; snapshot: its file trashed; row: the JobRuns row written. */
  done: Array<'manifest' | 'snapshot' | 'row'>;
}

export type ExportState = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** What remains of a finished export (for getExportProgress and the card). */
/** What a run has done so far, as its progress and its finished record both show it. */
export function runFacts(
  run: ExportRun,
): Pick<
  FinishedExport,
  | 'runId'
  | 'query'
  | 'exported'
  | 'total'
  | 'files'
  | 'folderUrl'
  | 'startedAt'
  | 'executions'
  | 'gmailUnits'
  | 'attachmentsStored'
  | 'missing'
> {
  return {
    runId: run.runId,
    query: run.options.query,
    exported: run.exported,
    total: run.total,
    files: run.files,
    folderUrl: run.folderUrl,
    startedAt: run.startedAt,
    executions: run.executions,
    gmailUnits: run.gmailUnits,
    attachmentsStored: run.attachmentsStored,
    missing: run.missing,
  };
}

export interface FinishedExport {
  state: Exclude<ExportState, 'idle' | 'running'>;
  runId: string;
  query: string;
  exported: number;
  total: number | null;
  files: number;
  folderUrl: string | null;
  startedAt: number;
  finishedAt: number;
  error: string | null;
  executions: number;
  gmailUnits: number;
  attachmentsStored: number;
  missing: number;
}

/** What `since: 'last'` remembers of the previous complete export of a query. */
export interface SinceMark {
  query: string;
  newestMs: number;
  newestIds: string[];
  runId: string;
  finishedAt: number;
}

export function newRun(fields: {
  runId: string;
  options: ExportOptions;
  gmailQuery: string;
  skipIds: string[];
  startedAt: number;
  folderName: string;
}): ExportRun {
  return {
    version: 1,
    ...fields,
    folderId: null,
    folderUrl: null,
    attachmentsFolderId: null,
    total: null,
    cursor: 0,
    exported: 0,
    files: 0,
    bytes: 0,
    attachmentsSeen: 0,
    attachmentsStored: 0,
    attachmentsFailed: 0,
    missing: 0,
    missingIds: [],
    intent: null,
    uploadsUpTo: 0,
    inFlight: false,
    crashStreak: 0,
    executions: 0,
    transientStreak: 0,
    gmailCalls: 0,
    gmailUnits: 0,
    historyId: null,
    newestMs: null,
    newestIds: [],
    recentUnits: [],
    jobRunRow: null,
    lastError: null,
  };
}

/** Gmail's `after:` takes epoch seconds and keeps messages at or after that second. */
export function afterSecond(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * The Gmail query of an export: the user's query (in parentheses, so an OR inside stays inside), and
 * for `since` an `after:` bound: the day (YYYY/MM/DD, midnight in the user's zone, as Gmail reads it),
 * or the second of the previous export's newest message (its ids in that second are skipped).
 */
export function gmailQueryFor(query: string, since: { day: string } | { afterMs: number } | null): string {
  const base = query.trim();
  if (!since) return base;
  const bound = 'day' in since ? `after:${since.day.replace(/-/g, '/')}` : `after:${afterSecond(since.afterMs)}`;
  return base ? `(${base}) ${bound}` : bound;
}

/** The property key of the `since: 'last'` mark of a query (normalised: spaces collapsed). */
export function sinceKey(query: string, hash: (text: string) => string): string {
  return `export.since.${hash(query.trim().replace(/\s+/g, ' ')).slice(0, 16)}`;
}

/** The newest internalDate seen, and the ids sharing its second. */
export function trackNewest(run: Pick<ExportRun, 'newestMs' | 'newestIds'>, id: string, internalMs: number | null): void {
  if (internalMs === null) return;
  const second = afterSecond(internalMs);
  const current = run.newestMs === null ? null : afterSecond(run.newestMs);
  if (current === null || second > current) {
    run.newestMs = internalMs;
    run.newestIds = [id];
  } else if (second === current) {
    if (internalMs > (run.newestMs as number)) run.newestMs = internalMs;
    if (!run.newestIds.includes(id) && run.newestIds.length < 50) run.newestIds.push(id);
  }
}
