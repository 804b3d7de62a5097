// The one-send-at-a-time rules: every step that changes the send runs under the user's lock; a busy
// lock or an active send is refused with the reason.

import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import { sendJobMessage, sendStateLabel } from '../../domain/send/job-messages';
import type { SendProgress } from '../../domain/send/progress';
import type { LockHandle } from '../../ports/lock';
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

export function refuseIfActive(progress: SendProgress | null, locale: Locale): void {
  if (progress && (progress.state === 'running' || progress.state === 'paused' || progress.state === 'paused-quota')) {
    throw new PostroomError(
      'ALREADY_RUNNING',
      sendJobMessage(locale, 'alreadyInProgress', { runId: progress.jobId, state: sendStateLabel(locale, progress.state) }),
      { runId: progress.jobId },
    );
  }
}

export function alreadyRunning(locale: Locale): never {
  throw new PostroomError('ALREADY_RUNNING', sendJobMessage(locale, 'alreadyRunning'));
}
