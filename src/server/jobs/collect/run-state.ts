// The collect job's durable state between executions, in the user properties (KeyValueStore): the run
// in progress (its identity, the settings it started with, its cursor, the metrics of the work already
// committed, and the crash markers). The cursor is the index, in the run's snapshot of message ids
// (snapshot.ts), of the next message to handle; a message before the cursor has its files stored, its
// Receipts rows recorded and its labels applied. Properties, never the cache: the cache may be evicted.
// https://developers.google.com/apps-script/guides/services/quotas (9 KB per value, 500 KB per store)

import type { CollectMetrics, CollectSettings, CollectSummary } from '../../domain/collect';
import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import type { KeyValueStore } from '../../ports/kv';

/** The collect job's keys in the user store (the domain's named constants). */
export const STATE_KEYS = COLLECT_KEYS;

export interface RunRequest {
  dryRun: boolean;
  /** Attachments this run may handle (the smaller of maxItems and settings.maxAttachmentsPerRun). */
  limit: number;
  /** YYYY-MM-DD or null. */
  since: string | null;
}

export interface RunState {
  version: 1;
  runId: string;
  startedAtMs: number;
  request: RunRequest;
  /** The settings the run started with: a run keeps them to its end. */
  settings: CollectSettings;
  /** The Gmail query actually run (settings.query + after:). */
  query: string;
  /** JobRuns row of this run, once written. */
  jobRunRow: number | null;
  /** Number of ids in the snapshot, null until the snapshot is taken. */
  snapshotSize: number | null;
  snapshotChunks: number;
  cursor: number;
  /** Attachments handled so far, toward `request.limit`. */
  handled: number;
  /** Metrics of the committed work. */
  metrics: CollectMetrics;
  executions: number;
  /** True from an execution's start to its clean end: still true at the next start means it died. */
  inFlight: boolean;
  /** After a crash: commit every N messages (halved at each crash), and probe Drive for orphan files. */
  commitEvery: number | null;
  /** Receipts rows from this row on were appended by an execution that died before its checkpoint. */
  pendingAppendFrom: number | null;
  /** Drive folder ids found or made by this run ("incoming/2026-01-05", "logs"), so later executions look them up no more. */
  folderIds?: Record<string, string>;
  /** The script's time zone, read by the run's first execution that needed a day (a run keeps it to its end). */
  timeZone?: string;
  /** Gmail label ids by name, once ensured by an execution of this run. */
  labelIds?: Record<string, string>;
  /** The day's log file this run wrote ("collect_from_gmail-2026-01-05.jsonl" and its Drive id): rewritten by id, not looked up again. */
  logFile?: { name: string; id: string };
  /** The ledger spreadsheet's time zone (its dates' wall clock), read with the JobRun row. */
  sheetTimeZone?: string;
  /** The user's locale when the run started: its texts (summary, notes) in it, without asking again. */
  locale?: Locale;
  /** The close of the run, in steps that each survive a cut-short execution: the log's link, then the JobRun row. */
  closing?: { logUrl: string | null; jobRunClosed: boolean; clearOrphanRisk?: boolean };
  /** The message at the cursor, left for the next execution after a failure that may pass, and how many times. */
  retrying?: { messageId: string; executions: number };
  /** Whether the run left itself a continuation trigger (false: the close does not look for one). */
  continuationSet?: boolean;
  /** The JobRuns header when the run's row was written: its row is rewritten by the Sheets API after a crash. */
  jobRunsHeader?: string[];
}

export interface LockHolder {
  sinceMs: number;
  runId: string | null;
}

/** What the status view shows of the last finished run. */
export type LastRun = Omit<CollectSummary, 'metrics'> & { metrics: CollectMetrics; text: string };

export function loadRunState(store: KeyValueStore): RunState | null {
  const state = store.get<RunState>(COLLECT_KEYS.run);
  if (state === null) return null;
  if (state.version !== 1 || typeof state.runId !== 'string') {
    throw new PostroomError(
      'INTERNAL',
      `The saved collect run (${COLLECT_KEYS.run}) is not in a format this version reads; delete it to start afresh.`,
    );
  }
  return state;
}

export function saveRunState(store: KeyValueStore, state: RunState): void {
  store.set(COLLECT_KEYS.run, state);
}

/**
 * Notes that this execution leaves `what` (a message id, or a setup step) to the next one after a
 * failure that may pass: the number of executions in a row that did so, or 0 once `limit` already have
 * (then it is an error of the run). Saved with the state's next write.
 */
export function leaveForNextExecution(state: RunState, what: string, limit: number): number {
  const before = state.retrying?.messageId === what ? state.retrying.executions : 0;
  if (before >= limit) return 0;
  state.retrying = { messageId: what, executions: before + 1 };
  return before + 1;
}

/** Writes several keys at once (one service call where the store can). */
export function saveMany(store: KeyValueStore, values: Record<string, unknown>): void {
  if (store.setMany) store.setMany(values);
  else for (const [key, value] of Object.entries(values)) store.set(key, value);
}

/**
 * Ends the run: its stored-files record, then the run state itself LAST — the one write that closes
 * the run, so no call comes after it that an execution could die in (the caller would then start a
 * new run). The snapshot's chunks are left: the next run's snapshot writes over them (and deletes
 * those beyond its own, see saveSnapshot); none is read without a run that counts it.
 */
export function clearRun(store: KeyValueStore, _state: RunState): void {
  // An empty record (the last commit emptied it) is left: it reads as nothing, and the next run's first
  // store writes over it; deleting it would be one more call after the close began.
  const stored = store.get<Record<string, unknown>>(COLLECT_KEYS.stored);
  if (stored !== null && Object.keys(stored).length) store.delete(COLLECT_KEYS.stored);
  store.delete(COLLECT_KEYS.run);
}
