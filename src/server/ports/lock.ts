// Port: the lock that keeps two executions of a job from running at once (LockService's user lock).

export interface LockHandle {
  release(): void;
}

export interface Lock {
  /** Tries for `waitMs` to take the job's lock; null when another execution holds it. */
  tryAcquire(waitMs: number): LockHandle | null;
}
