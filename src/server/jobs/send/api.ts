// The Send job's use cases, `(deps, input) => result`, as the wiring calls them: plan, start,
// continue, pause / resume / cancel, and the progress view. Each that changes the send holds the lock.

import { errorMessage, PostroomError } from '../../domain/errors';
import type { Locale } from '../../domain/i18n';
import type { SendJobState } from '../../domain/send/job-state';
import { normaliseFilter, type SendFilter } from '../../domain/send/plan';
import { cancelProgress, resumeProgress, startProgress, type SendProgress, type SendProgressView } from '../../domain/send/progress';
import type { SendControl } from '../../ports/send';
import { chunk, type ContinueResult } from './chunk';
import { viewOf, type LocaleSource, type SendContext } from './context';
import type { SendDeps } from './deps';
import { alreadyRunning, refuseIfActive, withLock } from './lock';
import { continuePlan, newPlan, planIncomplete, releasePlanned, toPlanResult, type PlanResult, type PlanWork } from './plan';
import { sendJobMessage, sendStateLabel } from '../../domain/send/job-messages';
import { isFinalState } from './rows';
import { isTransientFailure } from './burst';
import { armForStart, rearmContinuation, recordOwedRun, removeSendTriggers } from './run-record';
import { PLAN_REUSE_MS, SAFETY_CONTINUATION_MS } from './constants';
import { SendTableModel } from './table';

/** What is stored, loaded under the lock, with the refusal of a send already in progress. */
function loadIdle(deps: SendDeps, locale: Locale): { job: SendJobState | null; progress: SendProgress | null } {
  const stored = deps.state.load();
  refuseIfActive(stored.progress, locale);
  return stored;
}

/** The planned run to go on with (same filter, made minutes ago, or `filter` null), else a new plan. */
function openPlan(
  deps: SendDeps,
  stored: { job: SendJobState | null; progress: SendProgress | null },
  filter: SendFilter | null,
  table: SendTableModel,
  autoStart: boolean,
  reuseComplete: boolean,
): PlanWork {
  const { job, progress } = stored;
  const planned = Boolean(job && progress?.state === 'planned');
  if (
    job &&
    progress &&
    planned &&
    (filter === null || reusablePlan(job, filter, deps.clock.now())) &&
    (reuseComplete || planIncomplete(job))
  ) {
    const plan = job.plan ? { ...job.plan, autoStart: job.plan.autoStart || autoStart } : job.plan;
    return { job: { ...job, plan }, progress, planned: { ready: [], invalid: [], ignored: [] } };
  }
  if (job && planned) releasePlanned(table, job);
  return newPlan(deps, filter ?? {}, table, autoStart);
}

/**
 * Under the lock, with no send in progress: opens the plan (a new one, or for a start the plan to go on
 * with) and makes as much of it as this execution can; pause / cancel asked earlier no longer apply.
 */
function planUnderLock(deps: SendDeps, locale: Locale, filter: SendFilter | null, forStart: boolean, stored = loadIdle(deps, locale)) {
  const settings = deps.settings();
  // The attachments folder's first page comes with the tab's read (one call).
  deps.lookahead?.begin({ sentListing: false });
  const table = new SendTableModel(deps.sheet, locale);
  const work = openPlan(deps, stored, filter, table, forStart, forStart);
  continuePlan(deps, locale, work, table, settings);
  deps.state.clearControl();
  return { work, table };
}

/**
 * Plans a send: selects pending and failed rows (filters by key, period, max), fails the invalid ones
 * with their reasons and queues the others, piece by piece (each written and saved). Replaces an earlier
 * planned run, unless that plan is still being made for the same filter: then it goes on.
 */
export function planSendJob(deps: SendDeps, filter: SendFilter, locale: Locale): PlanResult {
  return withLock(
    deps,
    () => alreadyRunning(locale),
    () => toPlanResult(deps, planOrRefuse(() => planUnderLock(deps, locale, filter, false), locale).work, locale),
  );
}

/**
 * Starts a send: the planned run (when no filter is given, or the same filter planned minutes ago), or
 * a new plan; then sends a first chunk in this execution. A plan too long for one execution goes on in
 * the next (continueSend or the continuation trigger) and the send starts when it is whole. Refuses
 * while another send is in progress.
 */
export function startSendJob(
  deps: SendDeps,
  filter: SendFilter | null,
  localeSource: LocaleSource,
  beforePlan?: () => void,
): ContinueResult {
  const resolve = () => (typeof localeSource === 'function' ? localeSource() : localeSource);
  return withLock(
    deps,
    () => alreadyRunning(resolve()),
    () => {
      // The state is loaded first: the locale and what `beforePlan` needs may come from that read.
      const stored = deps.state.load();
      const locale = resolve();
      refuseIfActive(stored.progress, locale);
      beforePlan?.();
      const { job, progress } = stored;
      if (
        job &&
        progress?.state === 'planned' &&
        !planIncomplete(job) &&
        (filter === null || reusablePlan(job, filter, deps.clock.now()))
      ) {
        // A whole plan (a start cut short after saving it) starts without reading the tab first.
        if (deps.state.readControl()) deps.state.clearControl();
        return startPlanned(deps, { ...job, plan: job.plan ? { ...job.plan, autoStart: true } : job.plan }, progress, locale);
      }
      const { work, table } = planOrRefuse(() => planUnderLock(deps, locale, filter, true, stored), locale);
      if (planIncomplete(work.job)) {
        rearmContinuation(deps, SAFETY_CONTINUATION_MS);
        return { progress: viewOf(deps, work.progress, locale), more: true, waitMs: 0, busy: false, pendingControl: null };
      }
      return startPlanned(deps, work.job, work.progress, locale, table);
    },
  );
}

/**
 * The plan, or, when the tab cannot be read for now (the Sheets API's quota, 5xx, after the adapter's
 * retries), a refusal that says so: the start is the user's click, and nothing was planned or sent.
 */
function planOrRefuse<T>(plan: () => T, locale: Locale): T {
  try {
    return plan();
  } catch (error) {
    if (!isTransientFailure(error)) throw error;
    const { operation, status } = (error.details ?? {}) as { operation?: string; status?: number };
    const detail = operation ? `${operation}: HTTP ${status ?? 0}` : errorMessage(error);
    throw new PostroomError('TRANSIENT', sendJobMessage(locale, 'startSheetUnavailable', { detail }), error.details);
  }
}

/**
 * The whole plan starts: its safety trigger is armed and the state saved `running` with it (one save),
 * then a first chunk (with the tab as planning read it, if it did).
 */
function startPlanned(deps: SendDeps, job: SendJobState, progress: SendProgress, locale: Locale, table?: SendTableModel): ContinueResult {
  const now = deps.clock.now();
  const started = startProgress(progress, now);
  // Saves the trigger step may make on the way keep the planned progress: only the last says running.
  deps.state.save(armForStart(deps, { ...job, startedAt: now }, progress), started);
  // Running from here: a tab that cannot be read or written for now is continued later, not an error.
  return chunkOrLater(deps, locale, () => chunk(deps, locale, table));
}

/**
 * A plan made moments ago for the same filter is the one to start (a start killed after its plan, then
 * called again, goes on instead of planning again every time); an older one is planned afresh.
 */
function reusablePlan(job: SendJobState, filter: SendFilter, now: number): boolean {
  const wanted = normaliseFilter(filter);
  // A confirmation of duplicates (the send extras) that differs makes it another plan.
  const confirmation = JSON.stringify(filter.confirmDuplicates ?? null) === JSON.stringify(job.plan?.confirmDuplicates ?? null);
  const same = wanted.key === job.filter.key && wanted.period === job.filter.period && wanted.max === job.filter.max && confirmation;
  return same && now - job.createdAt <= PLAN_REUSE_MS;
}

/**
 * Continues the send in this execution (sidebar and trigger). Never throws for a busy lock. `none`
 * runs, still under the lock, when there is no send under way (see chunk).
 */
export function continueSendJob(deps: SendDeps, localeSource: LocaleSource, none?: (s: SendContext | null) => void): ContinueResult {
  return withLock(
    deps,
    () => {
      // The execution holding the lock may die: a continuation later still finishes the send.
      const { job, progress } = deps.state.load();
      rearmContinuation(deps, SAFETY_CONTINUATION_MS, job);
      const locale = typeof localeSource === 'function' ? localeSource() : localeSource;
      return {
        progress: viewOf(deps, progress, locale),
        more: true,
        waitMs: 5_000,
        busy: true,
        pendingControl: deps.state.readControl()?.action ?? null,
      };
    },
    () => chunkOrLater(deps, localeSource, () => chunk(deps, localeSource, undefined, none)),
  );
}

/**
 * A time-driven continuation (the continuation's one-off or recurring trigger, an add-on's hourly net):
 * continues the send; one that finds none under way (it ended, was paused or cancelled, and the
 * execution that should have removed the send's triggers, or written the run's row in JobRuns, was cut
 * short first) writes that row (in steps, a recurring trigger kept until then), then removes them,
 * under the lock, so that no trigger outlives its run.
 */
export function continueSendFromTrigger(deps: SendDeps, localeSource: LocaleSource): ContinueResult {
  return continueSendJob(deps, localeSource, (s) => {
    // The row first: an execution cut short in one of its steps leaves the triggers, and the next
    // continues the steps where the state says they got.
    if (s && isFinalState(s.progress) && s.job.runRecorded === false) recordOwedRun(s);
    else removeSendTriggers(deps);
  });
}

/**
 * A chunk of a send under way, or, when the tab cannot be read or written for now (the Sheets API's
 * per-minute quota, 5xx, after the adapter's retries), "more in a minute": nothing was sent that the
 * sheet does not know of; the caller (sidebar, trigger) continues later.
 */
function chunkOrLater(deps: SendDeps, localeSource: LocaleSource, run: () => ContinueResult): ContinueResult {
  try {
    return run();
  } catch (error) {
    if (!isTransientFailure(error)) throw error;
    const locale = typeof localeSource === 'function' ? localeSource() : localeSource;
    return {
      progress: viewOf(deps, deps.state.load().progress, locale),
      more: true,
      waitMs: 60_000,
      busy: false,
      pendingControl: null,
    };
  }
}

function requestControl(deps: SendDeps, action: SendControl['action'], locale: Locale): ContinueResult {
  const { progress } = deps.state.load();
  if (!progress || isFinalState(progress)) {
    throw new PostroomError('NOT_FOUND', sendJobMessage(locale, 'noSendInProgress'));
  }
  if (action === 'pause' && progress.state !== 'running' && progress.state !== 'paused-quota') {
    throw new PostroomError('INVALID_INPUT', sendJobMessage(locale, 'cannotPause', { state: sendStateLabel(locale, progress.state) }));
  }
  if (progress.state === 'planned') {
    // Nothing was sent: cancelling a plan releases its rows at once.
    return withLock(
      deps,
      () => alreadyRunning(locale),
      () => {
        const { job } = deps.state.load();
        const table = new SendTableModel(deps.sheet, locale);
        if (job) releasePlanned(table, job);
        table.commit(true);
        const cancelled = cancelProgress(progress, deps.clock.now());
        if (job) deps.state.save(job, cancelled);
        return { progress: viewOf(deps, cancelled, locale), more: false, waitMs: 0, busy: false, pendingControl: null };
      },
    );
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
  return withLock(
    deps,
    () => alreadyRunning(locale),
    () => {
      const { job, progress } = deps.state.load();
      if (!job || !progress || (progress.state !== 'paused' && progress.state !== 'paused-quota')) {
        throw new PostroomError(
          'INVALID_INPUT',
          progress
            ? sendJobMessage(locale, 'noPausedSendState', { state: sendStateLabel(locale, progress.state) })
            : sendJobMessage(locale, 'noPausedSend'),
        );
      }
      // Controls asked before this resume no longer apply; one asked from here on (another execution,
      // while this one saves) is kept and read by the chunk: cleared first, then saved.
      deps.state.clearControl();
      deps.state.save(job, resumeProgress(progress, deps.clock.now()));
      return chunk(deps, locale);
    },
  );
}

/** The persisted progress in the reader's locale (no lock, no sheet read). */
export function viewSendProgress(
  deps: SendDeps,
  locale: Locale,
): { progress: SendProgressView | null; pendingControl: SendControl['action'] | null } {
  return { progress: viewOf(deps, deps.state.load().progress, locale), pendingControl: deps.state.readControl()?.action ?? null };
}
