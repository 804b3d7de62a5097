// What outlives an execution besides the sheet and the state: the continuation trigger that goes on
// without a sidebar, and the run's row in the JobRuns tab when the send ends (its summary in the
// user's language, like every ledger text).

import { translateSend } from '../../domain/send/messages';
import type { SendContext } from './context';
import { checkpoint, runUsage } from './context';
import { ARMED_TRIGGERS_LIMIT, REPEAT_MINUTES, SAFETY_CONTINUATION_MS, SEND_CONTINUATION_HANDLER } from './constants';
import type { SendJobState } from '../../domain/send/job-state';
import type { SendProgress } from '../../domain/send/progress';
import type { SendDeps } from './deps';

/** Sets the one-off trigger that continues the send after `delayMs` (at least a minute), and notes when. */
export function scheduleContinuation(s: SendContext, delayMs: number): void {
  const delay = Math.max(60_000, delayMs);
  s.deps.scheduler.continueAfter(SEND_CONTINUATION_HANDLER, delay);
  s.job = { ...s.job, continuationAt: s.deps.clock.now() + delay, armedTriggers: 1, repeating: false };
}

/** Whether the run needs a safety trigger armed now: none set to fire later, and no recurring one. */
function continuationDue(deps: SendDeps, job: SendJobState): boolean {
  if (job.repeating) return false;
  const at = job.continuationAt ?? null;
  return at === null || at <= deps.clock.now();
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
 * Adds a safety trigger (the handler's triggers all removed first, and that saved, past the limit): a
 * RECURRING one (every REPEAT_MINUTES) where the platform allows it, so that the executions it starts
 * arm nothing before their work (an add-on may not run a trigger more often than hourly: then, noted
 * for the run, a one-off). A chunk's end replaces it with its one-off continuation.
 */
function armAdded(deps: SendDeps, job: SendJobState, save: (job: SendJobState) => void): SendJobState {
  const { scheduler } = deps;
  let next = job;
  if ((next.armedTriggers ?? 0) >= ARMED_TRIGGERS_LIMIT) {
    if (scheduler.removeAll) scheduler.removeAll(SEND_CONTINUATION_HANDLER);
    else scheduler.schedule(SEND_CONTINUATION_HANDLER, { kind: 'off' });
    next = { ...next, continuationAt: null, armedTriggers: 0, repeating: false };
    save(next);
  }
  if (scheduler.repeatEvery && !next.noRepeat) {
    if (scheduler.repeatEvery(SEND_CONTINUATION_HANDLER, REPEAT_MINUTES))
      return { ...next, continuationAt: null, repeating: true, armedTriggers: (next.armedTriggers ?? 0) + 1 };
    // Refused: said at once, so that an execution cut short before its one-off does not try again.
    next = { ...next, noRepeat: true };
    save(next);
  }
  const delay = Math.max(60_000, SAFETY_CONTINUATION_MS);
  scheduler.armAfter!(SEND_CONTINUATION_HANDLER, delay);
  return { ...next, continuationAt: deps.clock.now() + delay, armedTriggers: (next.armedTriggers ?? 0) + 1 };
}

export function stopContinuation(s: SendContext): void {
  s.deps.scheduler.schedule(SEND_CONTINUATION_HANDLER, { kind: 'off' });
  s.job = { ...s.job, continuationAt: null, armedTriggers: 0, repeating: false };
}

/**
 * A continuation that found the lock held: continue later in case the holder dies (not when a
 * recurring trigger does that: replacing it would leave the run on a one-off).
 */
export function rearmContinuation(deps: SendDeps, delayMs: number, job?: SendJobState | null): void {
  if (job?.repeating) return;
  deps.scheduler.continueAfter(SEND_CONTINUATION_HANDLER, delayMs);
}

/** The run's row in JobRuns (added, or updated when a killed execution had added it already). */
export function recordRun(s: SendContext): void {
  const p = s.progress;
  const now = s.deps.clock.now();
  const { calls, units } = runUsage(s);
  s.deps.jobRuns.record({
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
  });
}
