// Step: the user lock every Postroom job shares (adapters/lock.ts), with a holder record of the
// export's own, so a refusal can say "an export is already running (started …)" rather than name
// another job.

import { PostroomError } from '../../domain/errors';
import { translateExport } from '../../domain/export';
import type { LockHandle } from '../../ports/lock';
import { LOCK_WAIT_MS, type ExportDeps } from './deps';
import { EXPORT_KEYS, type LockHolder } from './state-store';

const EXECUTION_LIMIT_MS = 6 * 60_000;

/**
 * Takes the user lock. `recordHolder`: also note who holds it (startExport and cancel, short calls);
 * a continuing execution does not (its run's `inFlight` says it works, and it saves calls).
 */
export function holdExportLock(deps: ExportDeps, runId: string | null, waitMs = LOCK_WAIT_MS, recordHolder = true): LockHandle | null {
  const handle = deps.lock.tryAcquire(waitMs);
  if (!handle) return null;
  if (!recordHolder) return handle;
  deps.store.set(EXPORT_KEYS.holder, { sinceMs: deps.clock.now(), runId } satisfies LockHolder);
  return {
    release() {
      deps.store.delete(EXPORT_KEYS.holder);
      handle.release();
    },
  };
}

/** Why the lock is taken, in the user's words. */
export function lockedRefusal(deps: ExportDeps): PostroomError {
  const holder = deps.store.get<LockHolder>(EXPORT_KEYS.holder);
  if (holder && deps.clock.now() - holder.sinceMs < EXECUTION_LIMIT_MS) {
    return new PostroomError(
      'ALREADY_RUNNING',
      translateExport(deps.locale, 'run.alreadyRunning', { since: deps.formatDate(holder.sinceMs, 'yyyy-MM-dd HH:mm') }),
      { runId: holder.runId },
    );
  }
  return new PostroomError('ALREADY_RUNNING', translateExport(deps.locale, 'run.otherJob'));
}
