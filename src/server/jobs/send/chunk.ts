// One chunk: an execution's share of the work under its time budget (sidebar and trigger alike), the
// lock held. It reconciles the progress with the sheet, applies a pending pause / cancel, resumes a
// quota pause when due, runs the paced loop, then writes everything and sets (or clears) the
// continuation trigger, and records the run when it ends.

import { resumeProgress, startProgress, type SendProgressView } from '../../domain/send/progress';
import { continuePlan, planIncomplete, type PlanWork } from './plan';
import type { SendControl } from '../../ports/send';
import { checkpoint, openContext, viewOf, type LocaleSource, type SendContext } from './context';
import { IN_DOUBT_SETTLE_MS, SAFETY_CONTINUATION_MS } from './constants';
import { applyControl } from './controls';
import type { SendDeps } from './deps';
import { runLoop, type ChunkOutcome } from './paced-loop';
import type { SendTableModel } from './table';
import { isFinalState } from './rows';
import {
  armBeforeRead,
  ensureContinuation,
  recordEndedRun,
  recordOwedRun,
  scheduleContinuation,
  stopContinuation,
  withoutContinuation,
} from './run-record';

export interface ContinueResult {
  progress: SendProgressView | null;
  /** True while the job has work left (the sidebar calls continueSend again after waitMs). */
  more: boolean;
  /** How long the caller should wait before calling continueSend again. */
  waitMs: number;
  /** Another execution holds the lock: nothing was done, call again later. */
  busy: boolean;
  /** A pause or cancel asked while a chunk ran, not applied yet. */
  pendingControl: SendControl['action'] | null;
}

/** The chunk's last writes, the continuation trigger and the run record, and the caller's answer. */
function finish(s: SendContext, outcome: ChunkOutcome): ContinueResult {
  const { deps } = s;
  const state = s.progress.state;
  if (state === 'paused') {
    // The state says "no trigger" before the triggers go: a kill in between leaves a trigger that
    // finds nothing to do, never a stalled send (and a resume arms them again).
    const had = s.job;
    s.job = withoutContinuation(s.job);
    checkpoint(s);
    stopContinuation(deps, had);
  } else if (state === 'done' || state === 'cancelled') {
    // The run's row in JobRuns is owed from this save until written (in saved steps); the triggers
    // stay until then, so an execution cut short in a step has the continuation that finds the send
    // ended go on with them (continueSendFromTrigger). Written, the state says "no trigger" (same
    // save), then the triggers go: a kill in between leaves one that finds nothing to do.
    s.job = { ...s.job, runRecorded: false };
    checkpoint(s);
    const had = s.job;
    recordEndedRun(s, withoutContinuation);
    stopContinuation(deps, had);
  } else {
    scheduleContinuation(s, outcome.waitMs);
    checkpoint(s);
  }
  return {
    progress: viewOf(deps, s.progress, s.locale),
    more: outcome.more && state !== 'paused',
    waitMs: outcome.waitMs,
    busy: false,
    pendingControl: deps.state.readControl()?.action ?? null,
  };
}

/** Goes on with the plan; true once it is whole and the send has started. */
function planOn(s: SendContext): boolean {
  const work: PlanWork = { job: s.job, progress: s.progress, planned: { ready: [], invalid: [], ignored: [] } };
  continuePlan(s.deps, s.locale, work, s.table, s.settings);
  s.job = work.job;
  s.progress = work.progress;
  if (planIncomplete(s.job)) return false;
  const now = s.deps.clock.now();
  s.job = { ...s.job, startedAt: now };
  s.progress = startProgress(s.progress, now);
  return true;
}

/**
 * One chunk (the lock is held). `none` runs when there is no send under way (none stored, ended,
 * paused): with the run's context when there is one.
 */
export function chunk(
  deps: SendDeps,
  localeSource: LocaleSource,
  table?: SendTableModel,
  none?: (s: SendContext | null) => void,
): ContinueResult {
  // An active send's safety trigger is armed (and saved) before the tab is read.
  const s = openContext(deps, localeSource, table, (job, progress) => armBeforeRead(deps, job, progress));
  if (!s) {
    none?.(null);
    return { progress: null, more: false, waitMs: 0, busy: false, pendingControl: null };
  }
  const idle = (): ContinueResult => ({
    progress: viewOf(deps, s.progress, s.locale),
    more: false,
    waitMs: 0,
    busy: false,
    pendingControl: null,
  });
  if (isFinalState(s.progress)) {
    // A run whose JobRuns row is still owed goes on with its steps (the sidebar's call too).
    if (none) none(s);
    else recordOwedRun(s);
    return idle();
  }
  const control = deps.state.readControl();
  if (s.progress.state === 'paused' && !control) {
    s.table.commit(true);
    none?.(s);
    return idle();
  }
  // The send's start is saved before any intent: a group's intent does not save the state, and a
  // stored `planned` would let a cancel release rows that may have gone out.
  let started = false;
  if (s.progress.state === 'planned') {
    // A plan still being made goes on; once whole, a send asked to start starts in this chunk.
    if (!s.job.plan?.autoStart) return idle();
    if (!planOn(s)) return finish(s, { more: true, waitMs: 0 });
    started = true;
  }
  // If this execution dies, a trigger still continues the job. The state says so at once (its write
  // follows the sheet's, if any): an execution killed later does not leave the next one to set it
  // again, and that one to die at the same call, forever.
  if (ensureContinuation(s, SAFETY_CONTINUATION_MS) || started) checkpoint(s);
  if (s.progress.state === 'paused-quota' && !control) {
    const now = deps.clock.now();
    if (s.progress.resumeAt !== null && now < s.progress.resumeAt) return finish(s, { more: true, waitMs: s.progress.resumeAt - now });
    s.progress = resumeProgress(s.progress, now);
  }
  if (control && (s.progress.state === 'paused' || s.progress.state === 'paused-quota')) {
    // A cancel looks in SENT now: not with the page asked ahead with the tab's read.
    deps.lookahead?.endSentListing();
    applyControl(s, control);
    const after: string = s.progress.state;
    return finish(s, { more: after !== 'cancelled' && after !== 'paused', waitMs: IN_DOUBT_SETTLE_MS });
  }
  return finish(s, runLoop(s, control));
}
