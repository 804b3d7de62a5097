// Adapter: the job lock over LockService's user lock (one user's jobs never overlap; other users of a
// published add-on are not blocked). tryLock returns false, never throws, when the wait runs out.
// https://developers.google.com/apps-script/reference/lock/lock#tryLock(Integer)

import type { Lock, LockHandle } from '../ports/lock';

export function userLock(): Lock {
  return {
    tryAcquire(waitMs: number): LockHandle | null {
      const lock = LockService.getUserLock();
      if (!lock.tryLock(waitMs)) return null;
      return { release: () => lock.releaseLock() };
    },
  };
}
