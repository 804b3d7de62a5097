// One chunk: an execution's share of the work under its time budget (sidebar and trigger alike), the
// lock held. It reconciles the progress with the sheet, applies a pending pause / cancel, resumes a
// quota pause when due, runs the paced loop, then writes everything and sets (or clears) the
// continuation trigger, and records the run when it ends.

import type { Locale } from '../../domain/i18n';
import { resumeProgress, type SendProgressView } from '../../domain/send/progress';
import type { SendControl } from '../../ports/send';
import { checkpoint, openContext, viewOf, type SendContext } from './context';
import { IN_DOUBT_SETTLE_MS, SAFETY_CONTINUATION_MS } from './constants';
import { applyControl } from './controls';
import type { SendDeps } from './deps';
import { runLoop, type ChunkOutcome } from './paced-loop';
import { isFinalState } from './rows';
import { recordRun, scheduleContinuation, stopContinuation } from './run-record';

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
  checkpoint(s);
  const state = s.progress.state;
  if (state === 'done' || state === 'cancelled') {
    recordRun(s);
    stopContinuation(deps);
  } else if (state === 'paused') {
    stopContinuation(deps);
  } else {
    scheduleContinuation(s, outcome.waitMs);
  }
  return { progress: viewOf(deps, s.progress, s.locale), more: outcome.more && state !== 'paused', waitMs: outcome.waitMs, busy: false, pendingControl: deps.state.readControl()?.action ?? null };
}

/** One chunk (the lock is held). */
export function chunk(deps: SendDeps, locale: Locale): ContinueResult {
  const s = openContext(deps, locale);
  if (!s) return { progress: null, more: false, waitMs: 0, busy: false, pendingControl: null };
  const idle = (): ContinueResult => ({ progress: viewOf(deps, s.progress, locale), more: false, waitMs: 0, busy: false, pendingControl: null });
  if (isFinalState(s.progress)) return idle();
  const control = deps.state.readControl();
  if (s.progress.state === 'paused' && !control) {
    s.table.commit(false);
    return idle();
  }
  if (s.progress.state === 'planned') return idle();
  // If this execution dies, a trigger still continues the job.
  scheduleContinuation(s, SAFETY_CONTINUATION_MS);
  if (s.progress.state === 'paused-quota' && !control) {
    const now = deps.clock.now();
    if (s.progress.resumeAt !== null && now < s.progress.resumeAt) return finish(s, { more: true, waitMs: s.progress.resumeAt - now });
    s.progress = resumeProgress(s.progress, now);
  }
  if (control && (s.progress.state === 'paused' || s.progress.state === 'paused-quota')) {
    applyControl(s, control);
    const after: string = s.progress.state;
    return finish(s, { more: after !== 'cancelled' && after !== 'paused', waitMs: IN_DOUBT_SETTLE_MS });
  }
  return finish(s, runLoop(s));
}
