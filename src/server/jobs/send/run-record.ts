// What outlives an execution besides the sheet and the state: the continuation trigger that goes on
// without a sidebar (and, in an add-on, the hourly safety net beside it), and the run's row in the
// JobRuns tab when the send ends (its summary in the user's language, like every ledger text).

import { translateSend } from '../../domain/send/messages';
import type { SendContext } from './context';
import { checkpoint, runUsage, saveAll } from './context';
import {
  ARMED_TRIGGERS_LIMIT,
  REPEAT_MINUTES,
  SAFETY_CONTINUATION_MS,
  SEND_CONTINUATION_HANDLER,
  SEND_SAFETY_NET_HANDLER,
} from './constants';
import type { SendJobState } from '../../domain/send/job-state';
import type { SendProgress } from '../../domain/send/progress';
import type { SendDeps } from './deps';
import type { JobRunRecord } from '../../ports/send';

/** Sets the one-off trigger that continues the send after `delayMs` (at least a minute), and notes when. */
export function scheduleContinuation(s: SendContext, delayMs: number): void {
  const delay = Math.max(60_000, delayMs);
  // The same listing removes a second hourly net, should a kill between its creation and its save
  // have left one.
  s.deps.scheduler.continueAfter(SEND_CONTINUATION_HANDLER, delay, s.job.noRepeat ? SEND_SAFETY_NET_HANDLER : undefined);
  s.job = { ...s.job, continuationAt: s.deps.clock.now() + delay, armedTriggers: 1, repeating: false };
}

/** Whether a one-off safety trigger is due: none set to fire later. */
function oneOffDue(deps: SendDeps, job: SendJobState): boolean {
  const at = job.continuationAt ?? null;
  return at === null || at <= deps.clock.now();
}

/**
 * Whether the run needs a safety trigger armed before its work: none set to fire later, and no
 * recurring one (every REPEAT_MINUTES, or the add-on's hourly net).
 */
function continuationDue(deps: SendDeps, job: SendJobState): boolean {
  if (job.repeating || job.hourlyNet) return false;
  return oneOffDue(deps, job);
}

/**
 * The safety net at the start of a chunk: if this execution dies, a trigger continues the job. One
 * already set to fire later (by the previous execution) does that job: no new trigger (a trigger that
 * fires while this chunk holds the lock sets a new one, see continueSendJob). True when it set one.
 * The trigger is ADDED (4 calls, no listing of the project's triggers: see armAdded) so that an
 * execution cut short soon after still arms it and saves that it did; the ones it leaves are removed at
 * the chunk's end (scheduleContinuation), or first once ARMED_TRIGGERS_LIMIT are counted.
 */
export function ensureContinuation(s: SendContext, delayMs: number): boolean {
  if (!continuationDue(s.deps, s.job)) return false;
  if (!s.deps.scheduler.armAfter) {
    scheduleContinuation(s, delayMs);
    return true;
  }
  s.job = armAdded(s.deps, s.job, (job) => {
    s.job = job;
    checkpoint(s);
  });
  return true;
}

/**
 * The same safety net for an active send, before the tab is read (the job state alone says whether
 * one is due), saved at once: an execution cut short soon after its start still arms it and says so
 * before its first read. Returns the job state as saved (unchanged when none was due).
 */
export function armBeforeRead(deps: SendDeps, job: SendJobState, progress: SendProgress): SendJobState {
  if (progress.state !== 'running' && progress.state !== 'paused-quota') return job;
  if (!deps.scheduler.armAfter || !continuationDue(deps, job)) return job;
  const save = (next: SendJobState) => deps.state.save(next, progress);
  const armed = armAdded(deps, job, save);
  save(armed);
  return armed;
}

/** The safety trigger of a send about to start, armed (when triggers can be added) for its first save. */
export function armForStart(deps: SendDeps, job: SendJobState, progress: SendProgress): SendJobState {
  if (!deps.scheduler.armAfter) return job;
  return armAdded(deps, job, (next) => deps.state.save(next, progress));
}

/**
 * Adds a safety trigger: a RECURRING one (every REPEAT_MINUTES) where the platform allows it, so that
 * the executions it starts arm nothing before their work (a chunk's end replaces it with its one-off
 * continuation). An add-on may not run a trigger more often than hourly: refused (noted for the run),
 * an HOURLY one under a handler of its own, which a chunk's end leaves in place, so that no execution
 * arms anything before its work either (the quicker one-off comes after an execution's first burst:
 * safetyAfterBurst), with a one-off this once. Refused too, a one-off, which every execution must then
 * arm before its work.
 */
function armAdded(deps: SendDeps, job: SendJobState, save: (job: SendJobState) => void): SendJobState {
  const { scheduler } = deps;
  let next = job;
  if (scheduler.repeatEvery && !next.noRepeat) {
    next = clearedPastLimit(deps, next, save);
    if (scheduler.repeatEvery(SEND_CONTINUATION_HANDLER, REPEAT_MINUTES))
      return { ...next, continuationAt: null, repeating: true, armedTriggers: (next.armedTriggers ?? 0) + 1 };
    // Refused: said at once, so that an execution cut short before its next trigger does not try again.
    next = { ...next, noRepeat: true };
    save(next);
  }
  if (scheduler.repeatHourly && next.noRepeat && !next.noHourlyNet && !next.hourlyNet) {
    // Saved at once either way; the one-off below then keeps a first execution cut short from
    // waiting for the hour (it is armed before work only this once).
    next = scheduler.repeatHourly(SEND_SAFETY_NET_HANDLER) ? { ...next, hourlyNet: true } : { ...next, noHourlyNet: true };
    save(next);
  }
  next = clearedPastLimit(deps, next, save);
  const delay = Math.max(60_000, SAFETY_CONTINUATION_MS);
  scheduler.armAfter!(SEND_CONTINUATION_HANDLER, delay);
  return { ...next, continuationAt: deps.clock.now() + delay, armedTriggers: (next.armedTriggers ?? 0) + 1 };
}

/** Past ARMED_TRIGGERS_LIMIT triggers added, the continuation handler's are all removed first (saved). */
function clearedPastLimit(deps: SendDeps, job: SendJobState, save: (job: SendJobState) => void): SendJobState {
  if ((job.armedTriggers ?? 0) < ARMED_TRIGGERS_LIMIT) return job;
  removeTriggers(deps, SEND_CONTINUATION_HANDLER);
  const next = { ...job, continuationAt: null, armedTriggers: 0, repeating: false };
  save(next);
  return next;
}

function removeTriggers(deps: SendDeps, ...handlers: string[]): void {
  const { scheduler } = deps;
  if (scheduler.removeAll) scheduler.removeAll(...handlers);
  else for (const handler of handlers) scheduler.schedule(handler, { kind: 'off' });
}

/**
 * Under the hourly net, the one-off safety trigger (SAFETY_CONTINUATION_MS) of an execution is armed
 * after its first burst, not before its work: an execution killed before that is continued by the net
 * (within the hour), one killed later within minutes, and a short execution's calls all go to sending.
 * Added first and counted by the caller's save that follows at once (as armAdded's are).
 */
export function safetyAfterBurst(s: SendContext): void {
  const { deps } = s;
  if (!s.job.hourlyNet || !deps.scheduler.armAfter || !oneOffDue(deps, s.job)) return;
  const job = clearedPastLimit(deps, s.job, () => {});
  const delay = Math.max(60_000, SAFETY_CONTINUATION_MS);
  deps.scheduler.armAfter(SEND_CONTINUATION_HANDLER, delay);
  s.job = { ...job, continuationAt: deps.clock.now() + delay, armedTriggers: (job.armedTriggers ?? 0) + 1 };
}

/** The job state of a run that needs no trigger any more (saved before they go: see stopContinuation). */
export function withoutContinuation(job: SendJobState): SendJobState {
  return { ...job, continuationAt: null, armedTriggers: 0, repeating: false, hourlyNet: false };
}

/**
 * Removes the run's triggers: its continuations and, in an add-on (where `had`, the state before
 * withoutContinuation, says the 10-minute one was refused), the hourly net, in one listing. A kill
 * before this leaves a trigger that removes them when it fires and finds nothing to do
 * (continueSendFromTrigger).
 */
export function stopContinuation(deps: SendDeps, had: SendJobState): void {
  if (had.noRepeat) removeSendTriggers(deps);
  else deps.scheduler.schedule(SEND_CONTINUATION_HANDLER, { kind: 'off' });
}

/** Every trigger of the send's two handlers (continuation, hourly net), in one listing. */
export function removeSendTriggers(deps: SendDeps): void {
  removeTriggers(deps, SEND_CONTINUATION_HANDLER, SEND_SAFETY_NET_HANDLER);
}

/**
 * A continuation that found the lock held: continue later in case the holder dies (not when a
 * 10-minute recurring trigger does that: replacing it would leave the run on a one-off; the hourly
 * net is another handler's, and a one-off is quicker).
 */
export function rearmContinuation(deps: SendDeps, delayMs: number, job?: SendJobState | null): void {
  if (job?.repeating) return;
  deps.scheduler.continueAfter(SEND_CONTINUATION_HANDLER, delayMs);
}

/**
 * The run's row in JobRuns for a run that ended, unless the state says it is written: in saved steps of
 * few calls (the state keeps how far they got), so that executions all cut short still write it; then
 * the state says so (one properties write), with `after` applied to it (the triggers given up).
 */
export function recordEndedRun(s: SendContext, after: (job: SendJobState) => SendJobState = (job) => job): void {
  if (s.job.runRecorded !== false) return;
  const run = runRecord(s);
  const { jobRuns } = s.deps;
  if (jobRuns.recordInSteps)
    jobRuns.recordInSteps(run, s.job.jobRunSteps ?? {}, (steps) => {
      s.job = { ...s.job, jobRunSteps: steps };
      saveAll(s);
    });
  else jobRuns.record(run);
  s.job = after({ ...s.job, runRecorded: true, jobRunSteps: null });
  saveAll(s);
}

/**
 * An ended run whose JobRuns row an execution cut short still owes (the one that ended it, or one
 * after): a recurring trigger kept until it is written, the row's steps, then no trigger left.
 */
export function recordOwedRun(s: SendContext): void {
  if (s.job.runRecorded !== false) return;
  keepRecurringWhileOwed(s);
  recordEndedRun(s, withoutContinuation);
  removeSendTriggers(s.deps);
}

/**
 * An ended run whose JobRuns row is still owed keeps a RECURRING trigger until the row is written (the
 * one-off that started this execution is spent: a kill in one of the row's steps would leave nothing to
 * go on with them). Armed once and saved; removed with the send's others once the row is written.
 */
export function keepRecurringWhileOwed(s: SendContext): void {
  const { scheduler } = s.deps;
  if (s.job.runRecorded !== false || s.job.repeating || s.job.hourlyNet) return;
  if (scheduler.repeatEvery && !s.job.noRepeat) {
    const armed = scheduler.repeatEvery(SEND_CONTINUATION_HANDLER, REPEAT_MINUTES);
    s.job = armed ? { ...s.job, repeating: true } : { ...s.job, noRepeat: true };
    saveAll(s);
    if (armed) return;
  }
  if (scheduler.repeatHourly && !s.job.noHourlyNet) {
    s.job = scheduler.repeatHourly(SEND_SAFETY_NET_HANDLER) ? { ...s.job, hourlyNet: true } : { ...s.job, noHourlyNet: true };
    saveAll(s);
  }
}

/** The run's row in JobRuns (added, or updated when a killed execution had added it already). */
function runRecord(s: SendContext): JobRunRecord {
  const p = s.progress;
  const now = s.deps.clock.now();
  const { calls, units } = runUsage(s);
  return {
    runId: s.job.runId,
    status: p.state === 'cancelled' ? 'cancelled' : p.failed ? 'done_with_errors' : 'done',
    startedAt: p.startedAt ?? s.job.createdAt,
    finishedAt: p.finishedAt ?? now,
    total: p.total,
    sent: p.sent,
    failed: p.failed,
    gmailCalls: calls,
    summary: translateSend(s.locale, 'run.summary', {
      sent: p.sent,
      failed: p.failed,
      notSent: Math.max(0, p.total - p.sent - p.failed),
      total: p.total,
      executions: s.job.executions,
      units,
      transport: s.deps.mail.kind,
    }),
  };
}
