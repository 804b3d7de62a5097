// The Send job's use cases, `(deps, input) => result`, as the wiring calls them: plan, start,
// continue, pause / resume / cancel, and the progress view. Each that changes the send holds the lock.

import { PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import type { SendJobState } from '../../domain/send/job-state';
import type { SendFilter } from '../../domain/send/plan';
import { cancelProgress, resumeProgress, startProgress, type SendProgress, type SendProgressView } from '../../domain/send/progress';
import type { SendControl } from '../../ports/send';
import { chunk, type ContinueResult } from './chunk';
import { viewOf } from './context';
import type { SendDeps } from './deps';
import { alreadyRunning, refuseIfActive, withLock } from './lock';
import { planInto, releasePlanned, toPlanResult, type PlanResult } from './plan';
import { isFinalState } from './rows';
import { SendTableModel } from './table';

/**
 * Plans a send: selects pending and failed rows (filters by key, period, max), fails the invalid ones
 * with their reasons and queues the others, in one batched write. Replaces an earlier planned run.
 */
export function planSendJob(deps: SendDeps, filter: SendFilter, locale: Locale): PlanResult {
  return withLock(deps, alreadyRunning, () => {
    const stored = deps.state.load();
    refuseIfActive(stored.progress);
    const settings = deps.settings();
    const table = new SendTableModel(deps.sheet);
    if (stored.job && stored.progress?.state === 'planned') releasePlanned(table, stored.job);
    const { plan, job, progress } = planInto(deps, locale, filter, table, settings);
    table.commit(true);
    deps.state.save(job, progress);
    deps.state.clearControl();
    return toPlanResult(deps, plan, job, progress, locale, table);
  });
}

/**
 * Starts a send: the planned run (when no filter is given, or the same filter), or a new plan; then
 * sends a first chunk in this execution. Refuses while another send is in progress.
 */
export function startSendJob(deps: SendDeps, filter: SendFilter | null, locale: Locale): ContinueResult {
  return withLock(deps, alreadyRunning, () => {
    const stored = deps.state.load();
    refuseIfActive(stored.progress);
    const settings = deps.settings();
    let job = stored.job;
    let progress = stored.progress;
    const samePlan = job && progress?.state === 'planned' && filter === null;
    if (!samePlan) {
      const table = new SendTableModel(deps.sheet);
      if (job && progress?.state === 'planned') releasePlanned(table, job);
      ({ job, progress } = planInto(deps, locale, filter ?? {}, table, settings));
      table.commit(true);
    }
    const now = deps.clock.now();
    progress = startProgress(progress as SendProgress, now);
    job = { ...(job as SendJobState), startedAt: now };
    deps.state.save(job, progress);
    deps.state.clearControl();
    return chunk(deps, locale);
  });
}

/** Continues the send in this execution (sidebar and trigger). Never throws for a busy lock. */
export function continueSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return withLock(
    deps,
    () => ({ progress: viewOf(deps, deps.state.load().progress, locale), more: true, waitMs: 5_000, busy: true, pendingControl: deps.state.readControl()?.action ?? null }),
    () => chunk(deps, locale),
  );
}

function requestControl(deps: SendDeps, action: SendControl['action'], locale: Locale): ContinueResult {
  const { progress } = deps.state.load();
  if (!progress || isFinalState(progress)) {
    throw new PostroomError('NOT_FOUND', 'No send in progress.');
  }
  if (action === 'pause' && progress.state !== 'running' && progress.state !== 'paused-quota') {
    throw new PostroomError('INVALID_INPUT', `Cannot pause a send that is ${progress.state}.`);
  }
  if (progress.state === 'planned') {
    // Nothing was sent: cancelling a plan releases its rows at once.
    return withLock(deps, alreadyRunning, () => {
      const { job } = deps.state.load();
      const table = new SendTableModel(deps.sheet);
      if (job) releasePlanned(table, job);
      table.commit(true);
      const cancelled = cancelProgress(progress, deps.clock.now());
      if (job) deps.state.save(job, cancelled);
      return { progress: viewOf(deps, cancelled, locale), more: false, waitMs: 0, busy: false, pendingControl: null };
    });
  }
  deps.state.writeControl({ action, by: deps.user, at: deps.clock.now() });
  return continueSendJob(deps, locale);
}

/** Pauses the send (applied at once, or by the running chunk at its next batch). */
export function pauseSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return requestControl(deps, 'pause', locale);
}

/** Cancels the send: queued rows go back to pending; rows in doubt are checked in Sent first. */
export function cancelSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return requestControl(deps, 'cancel', locale);
}

/** Resumes a paused send and continues it in this execution. */
export function resumeSendJob(deps: SendDeps, locale: Locale): ContinueResult {
  return withLock(deps, alreadyRunning, () => {
    const { job, progress } = deps.state.load();
    if (!job || !progress || (progress.state !== 'paused' && progress.state !== 'paused-quota')) {
      throw new PostroomError('INVALID_INPUT', `There is no paused send to resume${progress ? ` (the send is ${progress.state})` : ''}.`);
    }
    deps.state.save(job, resumeProgress(progress, deps.clock.now()));
    deps.state.clearControl();
    return chunk(deps, locale);
  });
}

/** The persisted progress in the reader's locale (no lock, no sheet read). */
export function viewSendProgress(deps: SendDeps, locale: Locale): { progress: SendProgressView | null; pendingControl: SendControl['action'] | null } {
  return { progress: viewOf(deps, deps.state.load().progress, locale), pendingControl: deps.state.readControl()?.action ?? null };
}
