// What the sidebar and the card show of the collect: an execution holding the lock, a run waiting for
// its next execution, and the last finished run.

import { formatCollectSummary, type CollectMetrics } from '../../domain/collect';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import type { CollectDeps } from './deps';
import { loadRunState, type LastRun, type LockHolder } from './run-state';

export interface CollectStatus {
  /** Set while an execution holds the collect lock. */
  running: { sinceMs: number } | null;
  /** A run waiting for its next execution. */
  pending: {
    runId: string;
    startedAtMs: number;
    dryRun: boolean;
    cursor: number;
    total: number | null;
    metrics: CollectMetrics;
    text: string;
  } | null;
  lastRun: LastRun | null;
}

export function getCollectStatus(deps: Pick<CollectDeps, 'store' | 'lock' | 'locale' | 'clock'>): CollectStatus {
  const handle = deps.lock.tryAcquire(0);
  let running: CollectStatus['running'] = null;
  if (handle) handle.release();
  else {
    const holder = deps.store.get<LockHolder>(COLLECT_KEYS.lockHolder);
    // Locked by another Postroom job when the collect has no holder record.
    if (holder) running = { sinceMs: holder.sinceMs };
  }
  const state = loadRunState(deps.store);
  return {
    running,
    pending: state
      ? {
          runId: state.runId,
          startedAtMs: state.startedAtMs,
          dryRun: state.request.dryRun,
          cursor: state.cursor,
          total: state.snapshotSize,
          metrics: state.metrics,
          text: formatCollectSummary(deps.locale, state.metrics, { dryRun: state.request.dryRun, pending: true }),
        }
      : null,
    lastRun: deps.store.get<LastRun>(COLLECT_KEYS.lastRun),
  };
}
