// Conformance tests for LockService: real mutual exclusion between two executions sharing one LockStore.
// https://developers.google.com/apps-script/reference/lock/lock

import { Execution } from '../../../emulator/runtime/execution';
import { createLockService, LOCK_TIMEOUT_MESSAGE, LockStore } from '../../../emulator/services/lock';
import { newContext } from './helpers';

function twoExecutions() {
  const ctx = newContext();
  const store = new LockStore();
  const locks = createLockService(store, ctx, { inContainer: false });
  const first = new Execution(1, 1, 'trigger', 'runCollect', ctx.clock.now());
  const second = new Execution(2, 2, 'rpc', 'continueJob', ctx.clock.now());
  const as = <T>(execution: Execution, fn: () => T): T => {
    ctx.execution = execution;
    return fn();
  };
  return { ctx, store, locks, first, second, as };
}

describe('tryLock / waitLock exclude a second execution while the first holds the script lock', () => {
  it('tryLock returns false after waiting its timeout in virtual time', () => {
    const { ctx, locks, first, second, as } = twoExecutions();
    expect(as(first, () => locks.getScriptLock().tryLock(0))).toBe(true);
    const before = ctx.clock.now();
    expect(as(second, () => locks.getScriptLock().tryLock(10_000))).toBe(false);
    expect(ctx.clock.now() - before).toBeGreaterThanOrEqual(10_000);
    expect(as(second, () => locks.getScriptLock().hasLock())).toBe(false);
    expect(as(first, () => locks.getScriptLock().hasLock())).toBe(true);
  });
  it("waitLock throws Apps Script's timeout message", () => {
    const { locks, first, second, as } = twoExecutions();
    as(first, () => locks.getScriptLock().waitLock(1000));
    expect(() => as(second, () => locks.getScriptLock().waitLock(5000))).toThrow(LOCK_TIMEOUT_MESSAGE);
  });
  it('after releaseLock the other execution gets it', () => {
    const { locks, first, second, as } = twoExecutions();
    const lock = as(first, () => locks.getScriptLock());
    as(first, () => lock.waitLock(1000));
    as(first, () => lock.releaseLock());
    expect(as(second, () => locks.getScriptLock().tryLock(0))).toBe(true);
    expect(as(first, () => locks.getScriptLock().tryLock(0))).toBe(false);
  });
});

describe('a lock is released when its execution ends', () => {
  it('releaseAllFor (called by the runner) frees the lock', () => {
    const { store, locks, first, second, as } = twoExecutions();
    as(first, () => locks.getScriptLock().tryLock(0));
    first.outcome = 'completed';
    store.releaseAllFor(first.id);
    expect(as(second, () => locks.getScriptLock().tryLock(0))).toBe(true);
  });
  it('a holder past its 6-minute deadline frees the lock during the wait', () => {
    const { ctx, locks, first, as } = twoExecutions();
    as(first, () => locks.getScriptLock().tryLock(0));
    ctx.clock.advance(5 * 60_000);
    const late = new Execution(3, 3, 'trigger', 'runCollect', ctx.clock.now());
    // The first execution dies at 6 min: waiting 2 min is enough, and only until that deadline.
    expect(as(late, () => locks.getScriptLock().tryLock(120_000))).toBe(true);
    expect(ctx.clock.now()).toBeLessThan(first.deadline + 60_000);
  });
  it('a killed holder does not block anyone', () => {
    const { locks, first, second, as } = twoExecutions();
    as(first, () => locks.getScriptLock().tryLock(0));
    first.terminated = new Error('killed') as never;
    expect(as(second, () => locks.getScriptLock().tryLock(0))).toBe(true);
  });
});

describe('getDocumentLock is null outside a container; user locks are per user', () => {
  it('null for a standalone script', () => {
    const ctx = newContext();
    expect(createLockService(new LockStore(), ctx, { inContainer: false }).getDocumentLock()).toBeNull();
  });
  it('two users do not share a user lock, but share the script lock', () => {
    const ctx = newContext();
    const store = new LockStore();
    const alice = createLockService(store, ctx, { inContainer: true, userEmail: 'alice@x.fr' });
    const bob = createLockService(store, ctx, { inContainer: true, userEmail: 'bob@x.fr' });
    ctx.execution = new Execution(1, 1, 'rpc', 'a', ctx.clock.now());
    alice.getUserLock().tryLock(0);
    alice.getScriptLock().tryLock(0);
    ctx.execution = new Execution(2, 2, 'rpc', 'b', ctx.clock.now());
    expect(bob.getUserLock().tryLock(0)).toBe(true);
    expect(bob.getScriptLock().tryLock(0)).toBe(false);
  });
});
