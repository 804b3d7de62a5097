// Where the export keeps its state between executions (user properties, never the cache): the run in
// progress, the cancel request (a key of its own, so the sidebar can set it while an execution runs
// without overwriting the execution's saves), the last finished export, the lock holder, and one
// `since` mark per query.

import { PostroomError } from '../../domain/errors';
import { sinceKey, type ExportRun, type FinishedExport, type SinceMark } from '../../domain/export';
import type { KeyValueStore } from '../../ports/kv';

export const EXPORT_KEYS = {
  run: 'export.run',
  control: 'export.control',
  last: 'export.last',
  holder: 'export.lockHolder',
} as const;

export interface LockHolder {
  sinceMs: number;
  runId: string | null;
}

export function loadRun(store: KeyValueStore): ExportRun | null {
  const run = store.get<ExportRun>(EXPORT_KEYS.run);
  if (run === null) return null;
  if (run.version !== 1 || typeof run.runId !== 'string') {
    throw new PostroomError(
      'INTERNAL',
      `The saved export (${EXPORT_KEYS.run}) is not in a format this version reads; cancel it to start afresh.`,
    );
  }
  return run;
}

export function saveRun(store: KeyValueStore, run: ExportRun): void {
  store.set(EXPORT_KEYS.run, run);
}

/** A cancel asked for this run (a request names its run: one left by an earlier export is not this one's). */
export function cancelRequested(store: KeyValueStore, runId: string): boolean {
  const control = store.get<{ cancel: boolean; runId?: string }>(EXPORT_KEYS.control);
  return control?.cancel === true && control.runId === runId;
}

export function requestCancel(store: KeyValueStore, at: number, runId: string): void {
  store.set(EXPORT_KEYS.control, { cancel: true, at, runId });
}

export function loadLast(store: KeyValueStore): FinishedExport | null {
  return store.get<FinishedExport>(EXPORT_KEYS.last);
}

export function loadSinceMark(store: KeyValueStore, query: string, hash: (text: string) => string): SinceMark | null {
  return store.get<SinceMark>(sinceKey(query, hash));
}

export function saveSinceMark(store: KeyValueStore, mark: SinceMark, hash: (text: string) => string): void {
  store.set(sinceKey(mark.query, hash), mark);
}
