// The start of a run: the stored settings read and checked (a blocking check refuses the run, naming
// it), the request fixed (dry run, limit, since), the run state saved, then its JobRuns row written
// once (found again by run id after a crash, never written twice).

import { JOB_RUNS_TABLE, checkSettingsCoherence, emptyMetrics, jobRunToRow, setupText, type RunLog } from '../../domain/collect';
import { PostroomError } from '../../domain/errors';
import type { CollectDeps } from './deps';
import { jobRunRecord, type Execution } from './execution';
import { buildQuery, type CollectInput } from './input';
import { saveRunState, type RunRequest, type RunState } from './run-state';
import { loadCollectSettings } from './settings';

export function startRun(deps: CollectDeps, input: CollectInput, log: RunLog): RunState {
  const settings = loadCollectSettings(deps);
  // Of the setup checks only the settings can block (folders and tabs are made as needed, the trigger
  // does not stop a manual run): the run checks just those, and spends no call on the others.
  const problems = checkSettingsCoherence(settings, { addonMode: deps.addonMode }, deps.locale);
  const failing = problems.length ? [{ id: 'settings', ok: false, blocking: true, detail: problems.join('; ') }] : [];
  if (failing.length) {
    log.error('run.refused', { reason: failing.map((check) => `${check.id}: ${check.detail}`).join(' | ') });
    const checks = failing.map((check) => `${check.id} — ${check.detail}`).join('; ');
    throw new PostroomError('SETUP_INCOMPLETE', setupText(deps.locale, 'refuse.setup', { checks }), { checks: failing });
  }
  const request: RunRequest = {
    dryRun: input.dryRun ?? settings.dryRun,
    limit: Math.min(input.maxItems ?? settings.maxAttachmentsPerRun, settings.maxAttachmentsPerRun),
    since: input.since ?? null,
  };
  const startedAtMs = deps.clock.now();
  const state: RunState = {
    version: 1,
    runId: newRunId(startedAtMs),
    startedAtMs,
    request,
    settings,
    query: buildQuery(settings.query, request.since),
    jobRunRow: null,
    snapshotSize: null,
    snapshotChunks: 0,
    cursor: 0,
    handled: 0,
    metrics: emptyMetrics(),
    executions: 0,
    inFlight: false,
    commitEvery: null,
    pendingAppendFrom: null,
    locale: deps.locale,
    continuationSet: false,
  };
  // Saved (by markInFlight) before the JobRun row, so the row can be found again by run id (never written twice).
  return state;
}

/** "collect-20260105T090000Z-1a2b3c": the start instant and a random tail. */
function newRunId(startedAtMs: number): string {
  const stamp = new Date(startedAtMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `collect-${stamp}-${Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

/** The run's JobRuns row: found by run id, else appended (status running) and flushed. */
export function ensureJobRunRow(ex: Execution): void {
  const { deps, state } = ex;
  if (state.jobRunRow !== null) return;
  const table = deps.ledger.table(JOB_RUNS_TABLE);
  const found = table.readAll().find((row) => String(row.values.run_id) === state.runId);
  state.jobRunsHeader = table.headers();
  if (found) state.jobRunRow = found.rowNumber;
  else {
    const row = jobRunToRow(jobRunRecord(state, 'running', null));
    // After a crash, in one call (its values are the run's own: no text from outside to keep as text).
    const appendOne = state.inFlight || state.commitEvery !== null ? table.appendOne?.bind(table) : undefined;
    const [rowNumber] = appendOne ? [appendOne(row)] : table.append([row]);
    deps.ledger.flush();
    state.jobRunRow = rowNumber;
  }
  // Kept for the rows a run after a crash writes through the Sheets API (dates on the sheet's clock).
  if (!state.sheetTimeZone && deps.ledger.timeZone) state.sheetTimeZone = deps.ledger.timeZone() || undefined;
  saveRunState(deps.store, state);
}
