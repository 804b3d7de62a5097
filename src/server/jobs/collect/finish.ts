// The end of an execution: the run left pending (continuation trigger), finished (status, JobRuns row
// updated with the metrics and the log's link, last-run record, run state cleared), or hit by an error
// that is not a refusal (what was done is committed when possible; a transient error leaves the run
// pending, anything else ends it).

import {
  JOB_RUNS_TABLE,
  emptyMetrics,
  formatCollectSummary,
  jobRunToRow,
  mergeMetrics,
  runStatus,
  type CollectSummary,
  type RunStatus,
} from '../../domain/collect';
import { PostroomError, errorMessage, isExecutionOver } from '../../domain/errors';
import { COLLECT_KEYS } from '../../domain/storage-keys';
import { commit } from './commit';
import { COLLECT_CONTINUE_HANDLER, CONTINUE_AFTER_MS } from './deps';
import { jobRunRecord, recovering, runLocale, type Execution } from './execution';
import type { CellValue } from '../../ports/ledger';
import { stopsTheRun } from './mail';
import { mailErrorMessage } from '../../domain/mail-errors';
import { clearRun, saveMany, saveRunState, type LastRun } from './run-state';
import { logPath, writeLog } from './write-log';

export type CollectResult = CollectSummary & {
  /** The one-line FR / EN summary. */
  text: string;
  /** Executions this run has taken so far. */
  executions: number;
  /** Why the run stopped before its end (the user's-language message of a mail error), else null. */
  error: string | null;
};

export function leavePending(ex: Execution, ids: string[]): CollectResult {
  const { deps, state } = ex;
  state.inFlight = false;
  // Said before the trigger is made: the close then knows to look for it.
  state.continuationSet = true;
  saveRunState(deps.store, state);
  try {
    deps.scheduler.continueAfter(COLLECT_CONTINUE_HANDLER, CONTINUE_AFTER_MS);
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    ex.log.warn('run.continuation_not_scheduled', { reason: errorMessage(error) });
  }
  ex.log.info('run.paused', { cursor: state.cursor, messages: state.snapshotSize ?? ids.length });
  return result(ex, 'running', null, true);
}

export function finishRun(ex: Execution, limitReached: boolean, aborted = false, stopped: string | null = null): CollectResult {
  const { deps, state } = ex;
  const finishedAt = deps.clock.now();
  const status = runStatus(state.metrics, { dryRun: state.request.dryRun, aborted });
  const path = logPath(ex);
  const summary = formatCollectSummary(runLocale(ex), state.metrics, { dryRun: state.request.dryRun });
  const text = stopped ? `${stopped} ${summary}` : summary;
  ex.log.info('run.finished', { status, summary: text, executions: state.executions });
  // Closed in steps, each saved as done, so that an execution cut short leaves the run open and the
  // next one goes on from the step it reached (not a new run): the log (its link goes in the JobRun
  // row), then the JobRun row, then the last-run record and the run state cleared.
  const closing = (state.closing ??= { logUrl: null, jobRunClosed: false });
  if (closing.logUrl === null) {
    writeLog(ex);
    closing.logUrl = ex.logUrl ?? '';
    saveRunState(deps.store, state);
  }
  const logUrl = closing.logUrl;
  const out = { ...result(ex, status, finishedAt, false, logUrl), text, error: stopped };
  if (!closing.jobRunClosed) {
    // Orphans are no longer possible once a run has met every message of its query without an error
    // (an upload in doubt, or any failed message, is tried again by the next run: careful until then):
    // the flag goes with the last step.
    closing.clearOrphanRisk =
      !limitReached && !state.request.dryRun && state.metrics.errorsCount === 0 && deps.store.get(COLLECT_KEYS.orphanRisk) !== null;
    // Only a run that left itself a continuation trigger looks for it (one call fewer otherwise).
    if (state.continuationSet !== false && deps.scheduler.installed(COLLECT_CONTINUE_HANDLER) > 0)
      deps.scheduler.schedule(COLLECT_CONTINUE_HANDLER, { kind: 'off' });
    if (state.jobRunRow !== null) writeJobRun(ex, jobRunToRow({ ...jobRunRecord(state, status, finishedAt, state.metrics, text), logUrl }));
    // Saved with this step, with the last-run record: a close taken up again goes straight to its last step.
    closing.jobRunClosed = true;
    saveMany(deps.store, { [COLLECT_KEYS.run]: state, [COLLECT_KEYS.lastRun]: { ...out, logPath: path } satisfies LastRun });
  }
  // A close taken up again writes this execution's lines too, while the run is still open: nothing
  // that can be cut short comes after the state is cleared (else the caller would start a new run).
  writeLog(ex);
  if (closing.clearOrphanRisk) deps.store.delete(COLLECT_KEYS.orphanRisk);
  // Last: the run is over once its state is gone (so as few calls as possible come after).
  clearRun(deps.store, state);
  return out;
}

/**
 * The run's JobRuns row rewritten with its outcome: by the Sheets API after a crash (the header kept
 * from the row's start, one request, durable on its answer), else by SpreadsheetApp (flushed).
 */
function writeJobRun(ex: Execution, values: Record<string, CellValue>): void {
  const { deps, state } = ex;
  const header = state.jobRunsHeader;
  if (recovering(ex) && deps.ledgerValues && header?.length && state.sheetTimeZone && state.jobRunRow !== null) {
    // Columns the run does not write (a person's own) are left as they are (null).
    const cells = header.map((name) => (name in values ? values[name] : null));
    try {
      deps.ledgerValues.writeRows(JOB_RUNS_TABLE.name, state.jobRunRow, [cells], state.sheetTimeZone);
      return;
    } catch (error) {
      // Written or not, the same row is written again the SpreadsheetApp way (a rewrite changes nothing more).
      if (isExecutionOver(error)) throw error;
      ex.log.warn('jobrun.write_retried', { reason: errorMessage(error) });
    }
  }
  const table = deps.ledger.table(JOB_RUNS_TABLE);
  table.readAll();
  table.update([{ rowNumber: state.jobRunRow as number, values }]);
  deps.ledger.flush();
}

/**
 * An error that is not a refusal: what was done is committed when possible; a transient error
 * leaves the run pending for the next execution, anything else ends it as failed / partial.
 */
export function handleFailure(ex: Execution, error: unknown, ids: string[]): CollectResult {
  if (isExecutionOver(error)) throw error;
  const { state } = ex;
  ex.log.error('run.error', { reason: errorMessage(error) });
  ex.current.errorsCount += 1;
  try {
    commit(ex);
  } catch (again) {
    if (isExecutionOver(again)) throw again;
    ex.log.error('run.commit_failed', { reason: errorMessage(again) });
    state.metrics = mergeMetrics(state.metrics, ex.current);
    ex.current = emptyMetrics();
  }
  // The user must act (re-authorise, grant a scope): the run stops, saying so in their language.
  if (stopsTheRun(error)) return finishRun(ex, false, true, mailErrorMessage(error, runLocale(ex)));
  const transient = error instanceof PostroomError && (error.code === 'TRANSIENT' || error.code === 'QUOTA');
  // Rows whose write is in doubt are written again by the next execution, whatever the error was.
  // (Its checkpoint not made, the run's cursor is still before their messages, whatever this execution reached.)
  if (ex.rowsInDoubt || (transient && ex.cursor < ids.length)) return leavePending(ex, ids);
  return finishRun(ex, false, true);
}

function result(ex: Execution, status: RunStatus, finishedAtMs: number | null, pending: boolean, logUrl = ''): CollectResult {
  const { state } = ex;
  return {
    runId: state.runId,
    status,
    dryRun: state.request.dryRun,
    metrics: state.metrics,
    startedAtMs: state.startedAtMs,
    finishedAtMs,
    pending,
    logPath: logPath(ex),
    logUrl,
    text: formatCollectSummary(runLocale(ex), state.metrics, { dryRun: state.request.dryRun, pending }),
    executions: state.executions,
    error: null,
  };
}
