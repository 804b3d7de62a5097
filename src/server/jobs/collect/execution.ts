// The working memory of ONE execution of a collect run, handed to every step (free functions over it):
// the deps, the run state, the work done since the last commit (metrics, Receipts rows, labels), the
// Receipts index read once, the names taken per folder, and the files decided but not stored yet.
// Nothing here outlives the execution; what must survive is committed into the run state.

import {
  ReceiptIndex,
  emptyMetrics,
  jobRunWithMetrics,
  type CollectMetrics,
  type CollectSettings,
  type JobRunRecord,
  type RunLog,
  type RunStatus,
  type WalkResult,
} from '../../domain/collect';
import type { CellValue } from '../../ports/ledger';
import type { Locale } from '../../domain/i18n';
import type { CreateFileResult } from '../../ports/files';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import { EXECUTION_BUDGET_MS, type CollectDeps } from './deps';
import type { RunState } from './run-state';
import type { StoredDecision } from './settle';

/** A message of a batch, fetched and walked (or why not). */
export interface MessagePlan {
  id: string;
  fetchError: string | null;
  /** The read failed for a reason that may pass (no answer, 5xx, rate limit): worth another try. */
  fetchMayPass?: boolean;
  walk: WalkResult | null;
}

export interface PendingLabels {
  imported: boolean;
  quarantine: boolean;
}

export type AttachmentResult = 'imported' | 'quarantined' | 'skipped' | 'error' | 'deferred';

/** An attachment decided; called after its chunk's files are stored, it records the real outcome. */
export type SettleAttachment = () => AttachmentResult;

/** A message of a chunk, decided; `attachments` settle after the chunk's files are stored (null: nothing to settle). */
export interface MessageDecision {
  plan: MessagePlan;
  weight: number;
  attachments: SettleAttachment[] | null;
  /** The files decided for it (each one's result known once its chunk is stored). */
  uploads: PendingUpload[];
  /** What failed in deciding it for a reason that may pass (its read, an attachment's bytes, a folder), else null. */
  failedForNow: 'message_read' | 'attachment_read' | 'folder' | null;
}

/** A file decided for a chunk, stored by storeFiles; `result` is its real outcome. */
export interface PendingUpload {
  folderId: string;
  /** "incoming/2026-01-05": the key of the names taken in that folder. */
  folderKey: string;
  base: string;
  name: string;
  content: Uint8Array;
  mimeType: string;
  sha: string;
  result: CreateFileResult | null;
  /** Its key among the run's stored files ("incoming/2026-01-05/F.pdf#<sha256>"). */
  ref: string;
  /** The attachment it is for and its decision, noted with the stored file (see StoredRef). */
  recordAs?: { key: string; decided: NonNullable<StoredRef['decided']> };
}

export interface Execution {
  readonly deps: CollectDeps;
  readonly startedAt: number;
  readonly log: RunLog;
  readonly state: RunState;
  readonly settings: CollectSettings;
  /** Metrics of the work done since the last commit. */
  current: CollectMetrics;
  handledSinceCommit: number;
  rows: Array<Record<string, CellValue>>;
  labels: Map<string, PendingLabels>;
  cursor: number;
  /** Attachments counted toward the run's limit, up to the cursor. */
  handled: number;
  lastCommitAt: number;
  requestsAtLastCommit: number;
  index: ReceiptIndex;
  /** Receipts rows appended by an execution that died before its checkpoint, by key (removed once counted). */
  ownRows: Map<string, Record<string, CellValue>>;
  ownFrom: number | null;
  /** Names taken in each folder ("incoming/2026-01-05"), from the ledger and this execution. */
  names: Map<string, Set<string>>;
  receiptRows: number;
  careful: boolean;
  /** Files decided for the current chunk, not stored yet, and the same by sha256. */
  pendingUploads: PendingUpload[];
  pendingBySha: Map<string, PendingUpload>;
  /** sha256 of the files whose store failed in this execution. */
  failedShas: Set<string>;
  orphanRiskMarked: boolean;
  labelIds: Record<string, string> | null;
  logUrl: string | null;
  logWritten: boolean;
  /** Whether the Receipts ledger has been read in this execution (only when there is a message to handle). */
  receiptsRead: boolean;
  /** Whether state.pendingAppendFrom as it is now has been written durably in this execution. */
  appendFromSaved: boolean;
  /** The first messages of this execution, fetched with the ledger's read (lean-ledger.ts), from cursor `at`. */
  prefetched: { at: number; plans: MessagePlan[] } | null;
  /** The Receipts header when the ledger was read through the Sheets API (its rows are then written that way). */
  ledgerHeader: string[] | null;
  /** Rows this run wrote after the ledger's and did not checkpoint: the next write goes over them. */
  uncommittedRows: number;
  /** A row write that may or may not have happened: no checkpoint in this execution (the next one reads and writes again). */
  rowsInDoubt: boolean;
  /** Files stored since the last commit, by fileRef (saved under COLLECT_KEYS.stored). */
  stored: Record<string, StoredRef>;
  /** Files of messages left for the next execution (not recorded yet): kept in the record by the commit. */
  keptStored: Record<string, StoredRef> | null;
  /** The message being decided: its files and whether a read of it failed (see MessageDecision). */
  deciding: Pick<MessageDecision, 'uploads' | 'failedForNow'> | null;
}

/** A file already in Drive for this run: what planFile needs to reuse it without an upload or a probe. */
export interface StoredRef {
  id: string;
  url: string;
  name: string;
  /**
   * The attachment it was stored for, and its decision: a later execution settles it without its bytes.
   * Kept short (one property value holds the record): the sha256 is the ref's, an empty reason is left out.
   */
  key?: string;
  /** Noted instead of a file: the attachment's bytes are those of a receipt already in the ledger. */
  duplicate?: true;
  /**
   * Decided and about to be uploaded, not known to be stored (id and url empty): the next execution
   * stores it first (storePlanned), before it reads the ledger, from these facts and the bytes fetched again.
   */
  planned?: { folderId: string; folderKey: string; base: string; mimeType: string };
  decided?: Omit<StoredDecision, 'sha' | 'reason' | 'detail'> & Partial<Pick<StoredDecision, 'reason' | 'detail'>>;
}

/** A decision as the stored-files record keeps it (see StoredRef.decided). */
export function shortDecision(decided: StoredDecision): NonNullable<StoredRef['decided']> {
  const { sha: _sha, reason, detail, ...rest } = decided;
  return reason ? { ...rest, reason, detail } : rest;
}

/** The stored file of an attachment (by its key), when this run stored one and has not committed it yet. */
export function storedFileOf(ex: Execution, key: string): (StoredRef & { decided: StoredDecision }) | null {
  for (const [ref, stored] of Object.entries(ex.stored)) {
    if (stored.key !== key || !stored.decided || stored.planned) continue;
    const suffix = ref.slice(ref.lastIndexOf('#') + 1);
    const decided: StoredDecision = {
      reason: null,
      detail: '',
      ...stored.decided,
      // An empty piece's ref ends in "<size>:<digest>" (it has no sha256 of its own).
      sha: suffix.includes(':') ? '' : suffix,
    };
    return { ...stored, decided };
  }
  return null;
}

export function newExecution(deps: CollectDeps, startedAt: number, state: RunState, log: RunLog): Execution {
  return {
    deps,
    startedAt,
    log,
    state,
    settings: state.settings,
    current: emptyMetrics(),
    handledSinceCommit: 0,
    rows: [],
    labels: new Map(),
    cursor: 0,
    handled: 0,
    lastCommitAt: startedAt,
    requestsAtLastCommit: 0,
    index: new ReceiptIndex(),
    ownRows: new Map(),
    ownFrom: null,
    names: new Map(),
    receiptRows: 0,
    careful: false,
    pendingUploads: [],
    pendingBySha: new Map(),
    failedShas: new Set(),
    orphanRiskMarked: false,
    labelIds: null,
    logUrl: null,
    logWritten: false,
    receiptsRead: false,
    appendFromSaved: false,
    stored: deps.store.get<Record<string, StoredRef>>(COLLECT_KEYS.stored) ?? {},
    prefetched: null,
    ledgerHeader: null,
    uncommittedRows: 0,
    rowsInDoubt: false,
    deciding: null,
    keptStored: null,
  };
}

/** True once the execution has spent its budget for taking on work. */
export function timeUp(ex: Execution): boolean {
  return ex.deps.clock.now() - ex.startedAt >= EXECUTION_BUDGET_MS;
}

/** The names taken in a folder ("incoming/2026-01-05"), from the ledger and this execution. */
export function takenNames(ex: Execution, folder: string): Set<string> {
  let names = ex.names.get(folder);
  if (!names) {
    names = new Set();
    ex.names.set(folder, names);
  }
  return names;
}

/** The run's JobRuns record with the given status and metrics. */
export function jobRunRecord(
  state: RunState,
  status: RunStatus,
  finishedAtMs: number | null,
  metrics: CollectMetrics = state.metrics,
  summary = '',
): JobRunRecord {
  return jobRunWithMetrics(
    { runId: state.runId, job: 'collect', status, startedAtMs: state.startedAtMs, finishedAtMs, logUrl: '', summary },
    metrics,
  );
}

/** The day of an instant in the run's time zone (read once, kept in the run state: saved with its next write). */
export function runDay(ex: Execution, ms: number): string {
  const { deps, state } = ex;
  if (!deps.scriptTimeZone) return deps.dayOf(ms);
  state.timeZone ??= deps.scriptTimeZone();
  return deps.dayOf(ms, state.timeZone);
}

/** While recovering (commitEvery set after a crash): one attachment at a time, each step noted at once. */
export function recovering(ex: Execution): boolean {
  return ex.careful && ex.state.commitEvery !== null && !ex.state.request.dryRun;
}

/** The key of the note that an attachment is a duplicate of a recorded receipt (in the stored-files record). */
export function duplicateNoteKey(key: string): string {
  return `duplicate:${key}`;
}

/** The run's locale (kept in its state from its start; the user's, asked now, for a run that has none). */
export function runLocale(ex: Execution): Locale {
  return ex.state.locale ?? ex.deps.locale;
}
