// The collect job's durable state between executions, in the user properties (KeyValueStore): the run
// in progress (its identity, the settings it started with, its cursor, the metrics of the work already
// committed, and the crash markers), and the run's snapshot of Gmail message ids, split into values
// under the 9 KB property limit. The cursor is the index, in the snapshot, of the next message to
// handle; a message before the cursor has its files stored, its Receipts rows recorded and its labels
// applied. Properties, never the cache: the cache may be evicted at any time.
// https://developers.google.com/apps-script/guides/services/quotas (9 KB per value, 500 KB per store)

import { PostroomError } from '../domain/errors';
import type { CollectMetrics, CollectSettings, CollectSummary } from '../domain/collect';
import type { KeyValueStore } from '../ports';

export const STATE_KEYS = {
  settings: 'settings.collect',
  run: 'collect.run',
  lockHolder: 'collect.lockHolder',
  lastRun: 'collect.lastRun',
  /** Set when an execution of a run died: files may exist in Drive that no Receipt records. */
  orphanRisk: 'collect.orphanRisk',
  idsChunk: (index: number) => `collect.run.ids.${index}`,
} as const;

/** Largest snapshot of one run: 5,000 ids ≈ 85 KB of properties; the rest waits for the next run. */
export const SNAPSHOT_MAX_IDS = 5000;
/** Characters per snapshot chunk, under the 9 KB value limit with room for JSON quotes. */
export const SNAPSHOT_CHUNK_CHARS = 8000;

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
}

export interface LockHolder {
  sinceMs: number;
  runId: string | null;
}

export function loadRunState(store: KeyValueStore): RunState | null {
  const state = store.get<RunState>(STATE_KEYS.run);
  if (state === null) return null;
  if (state.version !== 1 || typeof state.runId !== 'string') {
    throw new PostroomError('INTERNAL', `The saved collect run (${STATE_KEYS.run}) is not in a format this version reads; delete it to start afresh.`);
  }
  return state;
}

export function saveRunState(store: KeyValueStore, state: RunState): void {
  store.set(STATE_KEYS.run, state);
}

/** Splits ids into chunks of at most SNAPSHOT_CHUNK_CHARS characters (comma-separated). */
export function chunkIds(ids: readonly string[], maxChars = SNAPSHOT_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const id of ids) {
    if (!id || id.includes(',')) throw new PostroomError('INTERNAL', `Unexpected Gmail message id ${JSON.stringify(id)}`);
    const next = current ? `${current},${id}` : id;
    if (next.length > maxChars && current) {
      chunks.push(current);
      current = id;
    } else current = next;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Saves the run's snapshot; returns the number of chunks written. */
export function saveSnapshot(store: KeyValueStore, ids: readonly string[]): number {
  const chunks = chunkIds(ids);
  chunks.forEach((chunk, index) => store.set(STATE_KEYS.idsChunk(index), chunk));
  return chunks.length;
}

export function loadSnapshot(store: KeyValueStore, chunks: number, size: number): string[] {
  const ids: string[] = [];
  for (let index = 0; index < chunks; index++) {
    const chunk = store.get<string>(STATE_KEYS.idsChunk(index));
    if (typeof chunk !== 'string') throw new PostroomError('INTERNAL', `The collect run's message list is incomplete (${STATE_KEYS.idsChunk(index)} is missing).`);
    if (chunk) ids.push(...chunk.split(','));
  }
  if (ids.length !== size) throw new PostroomError('INTERNAL', `The collect run's message list holds ${ids.length} ids, not ${size}.`);
  return ids;
}

/** Deletes the run and its snapshot (the run is over). */
export function clearRun(store: KeyValueStore, state: RunState): void {
  store.delete(STATE_KEYS.run);
  for (let index = 0; index < state.snapshotChunks; index++) store.delete(STATE_KEYS.idsChunk(index));
}

/** What the status view shows of the last finished run. */
export type LastRun = Omit<CollectSummary, 'metrics'> & { metrics: CollectMetrics; text: string };
