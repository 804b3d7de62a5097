// The one-send-at-a-time rules: every step that changes the send runs under the user's lock; a busy
// lock or an active send is refused with the reason.

import { PostroomError } from '../../domain/errors';
import type { SendProgress } from '../../domain/send/progress';
import type { LockHandle } from '../../ports';
import { LOCK_WAIT_MS } from './constants';
import type { SendDeps } from './deps';

/** Runs `run` holding the lock, or `busy` when another execution holds it. */
export function withLock<T>(deps: SendDeps, busy: () => T, run: () => T): T {
  const handle: LockHandle | null = deps.lock.tryAcquire(LOCK_WAIT_MS);
  if (!handle) return busy();
  try {
    return run();
  } finally {
    handle.release();
  }
}

export function refuseIfActive(progress: SendProgress | null): void {
  if (progress && (progress.state === 'running' || progress.state === 'paused' || progress.state === 'paused-quota')) {
    throw new PostroomError('ALREADY_RUNNING', `A send is already in progress (${progress.jobId}, ${progress.state}): continue, pause or cancel it first.`, { runId: progress.jobId });
  }
}

export function alreadyRunning(): never {
  throw new PostroomError('ALREADY_RUNNING', 'A send is already running in another execution; try again in a moment.');
}
