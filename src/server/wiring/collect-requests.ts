// What a person asked the collect for outside a run, and what a refused run leaves behind.
//   A card action has 30 s, so "Collect now" stores its request (dry run, maximum) here and installs
//   the one-off runCollectNow trigger, which takes the request and runs it in an execution of its own.
//   A run the job refuses to start (settings incomplete or invalid: a fresh install has no allowed
//   sender) still leaves a trace where the user looks: a `failed` JobRuns row and the card's "last run",
//   with the reason in the user's words. The job itself throws the refusal before it opens its row;
//   recording it here keeps the job unchanged.

import { COLLECT_KEYS } from '../domain/storage-keys';
import { JOB_RUNS_TABLE, emptyMetrics, jobRunToRow, jobRunWithMetrics } from '../domain/collect';
import { errorCode, isLocalized, userErrorMessage, type LocalizedText, PostroomError } from '../domain/errors';
import type { Locale } from '../domain/i18n';
import { translateServer } from '../domain/server-messages';
import { checkSetup, loadCollectSettings, type CollectDeps, type CollectInput } from '../jobs/collect';
import { STATE_KEYS, type LastRun } from '../jobs/collect/run-state';

/** The one-off handler that runs a person's request (src/server/wiring/collect.ts). */
export const COLLECT_NOW_HANDLER = 'runCollectNow';
const REQUEST_KEY = COLLECT_KEYS.request;
/** A request its trigger has not taken after this long is forgotten (the trigger was lost or removed). */
const REQUEST_STALE_MS = 10 * 60_000;
/** Errors by which the job refuses to start a run (nothing was done). */
const REFUSALS = new Set(['SETUP_INCOMPLETE', 'INVALID_SETTING']);

export interface CollectRequest {
  dryRun: boolean;
  maxItems: number | null;
  atMs: number;
}

type Deps = Pick<CollectDeps, 'store' | 'scheduler' | 'clock'>;

/** Stores the request and installs the one-off trigger that runs it in its own execution. */
export function requestCollect(deps: Deps, request: { dryRun: boolean; maxItems: number | null }): CollectRequest {
  const stored: CollectRequest = { ...request, atMs: deps.clock.now() };
  deps.store.set(REQUEST_KEY, stored);
  try {
    deps.scheduler.continueAfter(COLLECT_NOW_HANDLER, 1_000);
  } catch (error) {
    // No trigger (e.g. the 20 triggers per user are taken): no request left waiting for it.
    deps.store.delete(REQUEST_KEY);
    throw error;
  }
  return stored;
}

/** The request waiting for its trigger, if any (a stale one is ignored). */
export function waitingCollectRequest(deps: Pick<CollectDeps, 'store' | 'clock'>): CollectRequest | null {
  const request = deps.store.get<CollectRequest>(REQUEST_KEY);
  return request && deps.clock.now() - request.atMs < REQUEST_STALE_MS ? request : null;
}

/** Takes the waiting request (the trigger runs it), as collect input. */
export function takeCollectRequest(deps: Pick<CollectDeps, 'store' | 'clock'>): CollectInput {
  const request = waitingCollectRequest(deps);
  deps.store.delete(REQUEST_KEY);
  if (!request) return {};
  return { dryRun: request.dryRun, ...(request.maxItems ? { maxItems: request.maxItems } : {}) };
}

/** True for the errors by which the job refuses to start a run. */
export function isCollectRefusal(error: unknown): boolean {
  return REFUSALS.has(errorCode(error) ?? '');
}

/** Why the run was refused, in `locale`: what is missing in the user's words, else the job's own message. */
function refusalReason(deps: Pick<CollectDeps, 'store' | 'addonMode'>, error: unknown, locale: Locale): string {
  if (isLocalized(error)) return error.texts[locale];
  try {
    if (loadCollectSettings(deps).allowedSenders.length === 0) return translateServer(locale, 'collect.noAllowedSender');
  } catch {
    // Settings that do not even parse: the job's message names the bad key.
  }
  return userErrorMessage(error, locale);
}

/** The refusal's text in both languages ("Collection not started: …"). */
export function refusalTexts(deps: Pick<CollectDeps, 'store' | 'addonMode'>, error: unknown): LocalizedText {
  const text = (locale: Locale) => translateServer(locale, 'collect.refused', { reason: refusalReason(deps, error, locale) });
  return { en: text('en'), fr: text('fr') };
}

/**
 * The reason a run would be refused now (the job's blocking setup checks), as a refusal error, or null.
 * Reads only; the card asks it before installing a trigger that could only fail.
 */
export function collectRefusalNow(deps: CollectDeps): PostroomError | null {
  let settings;
  try {
    settings = loadCollectSettings(deps);
  } catch (error) {
    return error instanceof PostroomError ? error : new PostroomError('INVALID_SETTING', userErrorMessage(error, deps.locale));
  }
  const failing = checkSetup(deps, settings).checks.filter((check) => !check.ok && check.blocking);
  if (!failing.length) return null;
  return new PostroomError('SETUP_INCOMPLETE', failing.map((check) => `${check.id}: ${check.detail}`).join('; '), { checks: failing });
}

/**
 * Records a refused run: a `failed` JobRuns row (zero counts, the reason as summary) and the card's
 * last run. Returns the refusal as a PostroomError in the user's language (both texts kept).
 */
export function recordCollectRefusal(deps: CollectDeps, error: unknown, request: CollectInput = {}): PostroomError {
  const texts = refusalTexts(deps, error);
  const now = deps.clock.now();
  const runId = `collect-${new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-refused`;
  const dryRun = request.dryRun ?? false;
  const summary = texts[deps.locale];
  deps.ledger
    .table(JOB_RUNS_TABLE)
    .append([
      jobRunToRow(
        jobRunWithMetrics(
          { runId, job: 'collect', status: 'failed', startedAtMs: now, finishedAtMs: now, logUrl: '', summary },
          { ...emptyMetrics(), errorsCount: 1 },
        ),
      ),
    ]);
  deps.ledger.flush();
  const lastRun: LastRun = {
    runId,
    status: 'failed',
    dryRun,
    metrics: { ...emptyMetrics(), errorsCount: 1 },
    startedAtMs: now,
    finishedAtMs: now,
    pending: false,
    logPath: '',
    logUrl: '',
    text: summary,
  };
  deps.store.set(STATE_KEYS.lastRun, lastRun);
  const code = errorCode(error) ?? 'SETUP_INCOMPLETE';
  const details = error instanceof PostroomError ? error.details : undefined;
  return new PostroomError(code, summary, { ...details, runId }, texts);
}
