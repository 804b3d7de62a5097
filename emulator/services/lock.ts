// LockService with REAL mutual exclusion between executions. A LockStore, shared by every execution
// of the workspace, records who holds each lock (the execution and when it took it). While another
// LIVE execution holds it, tryLock(ms) waits `ms` of virtual time and returns false, and waitLock(ms)
// throws Apps Script's timeout error; a lock whose holder has ended (returned, threw, was killed or
// ran out of time) is free, and the runner calls releaseAllFor(executionId) when an execution ends.
// getDocumentLock() is null outside a container.
// https://developers.google.com/apps-script/reference/lock/lock

import type { Execution, ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

type Lock = GoogleAppsScript.Lock.Lock;

export const LOCK_TIMEOUT_MESSAGE = 'Lock timeout: another process was holding the lock for too long.';

export interface LockHolder {
  /** The holder's execution id (0 when the call came from outside any execution, e.g. a unit test). */
  executionId: number;
  execution: Execution | null;
  acquiredAt: number;
}

/** Which lock: the script's, one user's, one document's. */
export type LockScope = 'script' | `user:${string}` | `document:${string}`;

export class LockStore {
  readonly holders = new Map<LockScope, LockHolder>();
  /** Lock acquisitions and contentions, for tests and benchmarks. */
  acquisitions = 0;
  contentions = 0;

  /** The live holder of a lock, freeing it first if its execution is over. */
  holder(scope: LockScope, now: number): LockHolder | undefined {
    const holder = this.holders.get(scope);
    if (holder?.execution && !isLive(holder.execution, now)) {
      this.holders.delete(scope);
      return undefined;
    }
    return holder;
  }

  /** Releases every lock held by an execution: the runner calls this when the execution ends. */
  releaseAllFor(executionId: number): void {
    for (const [scope, holder] of this.holders) if (holder.executionId === executionId) this.holders.delete(scope);
  }
}

function isLive(execution: Execution, now: number): boolean {
  return execution.outcome === 'running' && !execution.terminated && now < execution.deadline;
}

export class FakeLock implements Pick<Lock, 'tryLock' | 'waitLock' | 'hasLock' | 'releaseLock'> {
  constructor(
    private readonly store: LockStore,
    private readonly ctx: ServiceContext,
    private readonly scope: LockScope,
  ) {}

  private get me(): number {
    return this.ctx.execution?.id ?? 0;
  }

  /** Tries to take the lock, waiting up to `timeoutMs` of virtual time; true when taken. */
  private acquire(timeoutMs: number): boolean {
    const now = this.ctx.clock.now();
    let holder = this.store.holder(this.scope, now);
    if (holder && holder.executionId !== this.me) {
      this.store.contentions += 1;
      // Nothing else runs while this execution waits, so the holder can only free the lock by ending:
      // if its deadline falls within the wait, wait until then; otherwise wait the whole timeout.
      const holderEnd = holder.execution ? holder.execution.deadline : Number.POSITIVE_INFINITY;
      const wait = Math.max(0, Math.min(timeoutMs, holderEnd - now));
      this.ctx.advance(wait);
      holder = this.store.holder(this.scope, this.ctx.clock.now());
      if (holder && holder.executionId !== this.me) return false;
    }
    if (!holder) {
      this.store.holders.set(this.scope, { executionId: this.me, execution: this.ctx.execution, acquiredAt: this.ctx.clock.now() });
      this.store.acquisitions += 1;
    }
    return true;
  }

  tryLock(timeoutInMillis: number): boolean {
    return this.ctx.call('LockService.Lock.tryLock', () => this.acquire(Math.max(0, Number(timeoutInMillis) || 0)));
  }
  waitLock(timeoutInMillis: number): void {
    this.ctx.call('LockService.Lock.waitLock', () => {
      if (!this.acquire(Math.max(0, Number(timeoutInMillis) || 0))) throw new Error(LOCK_TIMEOUT_MESSAGE);
    });
  }
  hasLock(): boolean {
    return this.ctx.call('LockService.Lock.hasLock', () => this.store.holder(this.scope, this.ctx.clock.now())?.executionId === this.me);
  }
  releaseLock(): void {
    this.ctx.call('LockService.Lock.releaseLock', () => {
      if (this.store.holder(this.scope, this.ctx.clock.now())?.executionId === this.me) this.store.holders.delete(this.scope);
    });
  }
}

export interface LockServiceOptions {
  inContainer: boolean;
  /** The user whose getUserLock() this is. */
  userEmail?: string;
  /** The container document's id (for getDocumentLock). */
  documentId?: string;
}

export class FakeLockService implements Pick<GoogleAppsScript.Lock.LockService, 'getScriptLock' | 'getUserLock' | 'getDocumentLock'> {
  constructor(
    private readonly store: LockStore,
    private readonly ctx: ServiceContext,
    private readonly options: LockServiceOptions,
  ) {}

  private lock(scope: LockScope): Lock {
    return withNotEmulated(new FakeLock(this.store, this.ctx, scope), 'LockService.Lock') as unknown as Lock;
  }

  getScriptLock(): Lock {
    return this.ctx.call('LockService.getScriptLock', () => this.lock('script'));
  }
  getUserLock(): Lock {
    return this.ctx.call('LockService.getUserLock', () => this.lock(`user:${this.options.userEmail ?? 'user@example.com'}`));
  }
  getDocumentLock(): Lock {
    return this.ctx.call('LockService.getDocumentLock', () =>
      this.options.inContainer ? this.lock(`document:${this.options.documentId ?? 'container'}`) : null,
    ) as Lock;
  }
}

/** LockService for the sandbox; every execution of a workspace shares one LockStore. */
export function createLockService(store: LockStore, ctx: ServiceContext, options: LockServiceOptions): GoogleAppsScript.Lock.LockService {
  return withNotEmulated(new FakeLockService(store, ctx, options), 'LockService') as unknown as GoogleAppsScript.Lock.LockService;
}
