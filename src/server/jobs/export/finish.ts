// Step: the end of an export, done, cancelled or failed, in steps each saved as done (an execution
// cut short takes it up where it stopped, with the outcome decided first): (1) the last manifest.json
// (state, finished time, every file); (2) the snapshot file trashed; (3) the JobRuns row; (4) the
// `since` mark of the query (a complete export only: a cancelled one left older mail out), the
// finished export for getExportProgress, then the run is cleared and no continuation trigger is left.

import { finishedSummary, runFacts, type FinishedExport, type FinishingRun } from '../../domain/export';
import { armSafetyAfterProgress, writeManifest } from './checkpoint';
import { recordUsage, save, type ExecutionContext } from './context';
import { EXPORT_CONTINUE_HANDLER, EXPORT_SAFETY_NET_HANDLER, type ExportDeps } from './deps';
import { recordJobRun, recordJobRunInSteps } from './job-runs';
import { EXPORT_KEYS, loadSinceMark, saveSinceMark } from './state-store';

export function finishExport(ctx: ExecutionContext, state: FinishedExport['state'], error: string | null = null): FinishedExport {
  const { deps, run } = ctx;
  recordUsage(ctx);
  const finishing: FinishingRun = (run.finishing ??= { state, finishedAt: deps.clock.now(), error, done: [] });
  run.lastError = finishing.error;
  const finished: FinishedExport = {
    state: finishing.state,
    ...runFacts(run),
    finishedAt: finishing.finishedAt,
    error: finishing.error,
  };
  // Under the hourly net, an end cut short after a saved step goes on within minutes (see armSafetyAfterProgress).
  ctx.armAfterSave = () => armSafetyAfterProgress(ctx);
  if (!finishing.done.includes('manifest')) {
    if (run.folderId) writeManifest(ctx, finishing.state, finishing.finishedAt);
    finishing.done.push('manifest');
    save(ctx);
  }
  if (!finishing.done.includes('snapshot')) {
    if (run.snapshotId) deps.files.trashById(run.snapshotId);
    finishing.done.push('snapshot');
    save(ctx);
  }
  if (!finishing.done.includes('row')) {
    // The summary is made when the row is written (it reads the user's language).
    const summary = () => finishedSummary(finished, deps.locale);
    if (ctx.lean) recordJobRunInSteps(ctx, finishing.state, finishing.finishedAt, summary);
    else recordJobRun(deps, run, finishing.state, finishing.finishedAt, summary());
    finishing.done.push('row');
    save(ctx);
  }
  saveMark(ctx, finishing);
  deps.store.set(EXPORT_KEYS.last, finished);
  // The export is over once its run is gone; what follows only tidies up (a trigger left finds no run and goes).
  deps.store.delete(EXPORT_KEYS.run);
  deps.store.delete(EXPORT_KEYS.control);
  stopContinuation(deps);
  return finished;
}

function saveMark(ctx: ExecutionContext, finishing: FinishingRun): void {
  const { deps, run } = ctx;
  if (finishing.state === 'done' && run.newestMs !== null) {
    saveSinceMark(
      deps.store,
      { query: run.options.query, newestMs: run.newestMs, newestIds: run.newestIds, runId: run.runId, finishedAt: finishing.finishedAt },
      deps.hash,
    );
  } else if (finishing.state === 'done' && run.options.since === 'last' && !loadSinceMark(deps.store, run.options.query, deps.hash)) {
    // Nothing new and no mark yet: the next `since: 'last'` starts from this export's start.
    saveSinceMark(
      deps.store,
      { query: run.options.query, newestMs: run.startedAt, newestIds: [], runId: run.runId, finishedAt: finishing.finishedAt },
      deps.hash,
    );
  }
}

/** Every trigger of the export goes (its continuations and, in an add-on, its hourly net), in one listing. */
export function stopContinuation(deps: ExportDeps): void {
  const { scheduler } = deps;
  if (scheduler.removeAll) scheduler.removeAll(EXPORT_CONTINUE_HANDLER, EXPORT_SAFETY_NET_HANDLER);
  else if (scheduler.installed(EXPORT_CONTINUE_HANDLER) > 0) scheduler.schedule(EXPORT_CONTINUE_HANDLER, { kind: 'off' });
}
