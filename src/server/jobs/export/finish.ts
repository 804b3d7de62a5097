// Step: the end of an export, done, cancelled or failed. The last manifest.json (state, finished
// time, every file), the `since` mark of the query (a complete export only: a cancelled one left older
// mail out), the JobRuns row, the finished export for getExportProgress, then the run and its
// snapshot file are cleared and no continuation trigger is left.

import { finishedSummary, runFacts, type FinishedExport } from '../../domain/export';
import { writeManifest } from './checkpoint';
import { recordUsage, type ExecutionContext } from './context';
import { EXPORT_CONTINUE_HANDLER, SNAPSHOT_FILE, type ExportDeps } from './deps';
import { recordJobRun } from './job-runs';
import { EXPORT_KEYS, loadSinceMark, saveSinceMark } from './state-store';

export function finishExport(ctx: ExecutionContext, state: FinishedExport['state'], error: string | null = null): FinishedExport {
  const { deps, run } = ctx;
  const finishedAt = deps.clock.now();
  recordUsage(ctx);
  run.lastError = error;
  const finished: FinishedExport = { state, ...runFacts(run), finishedAt, error };
  if (run.folderId) {
    writeManifest(ctx, state, finishedAt);
    deps.files.trash(run.folderId, SNAPSHOT_FILE);
  }
  if (state === 'done' && run.newestMs !== null) {
    saveSinceMark(
      deps.store,
      { query: run.options.query, newestMs: run.newestMs, newestIds: run.newestIds, runId: run.runId, finishedAt },
      deps.hash,
    );
  } else if (state === 'done' && run.options.since === 'last' && !loadSinceMark(deps.store, run.options.query, deps.hash)) {
    // Nothing new and no mark yet: the next `since: 'last'` starts from this export's start.
    saveSinceMark(
      deps.store,
      { query: run.options.query, newestMs: run.startedAt, newestIds: [], runId: run.runId, finishedAt },
      deps.hash,
    );
  }
  recordJobRun(deps, run, state, finishedAt, finishedSummary(finished, deps.locale));
  deps.store.set(EXPORT_KEYS.last, finished);
  deps.store.delete(EXPORT_KEYS.run);
  deps.store.delete(EXPORT_KEYS.control);
  stopContinuation(deps);
  return finished;
}

export function stopContinuation(deps: ExportDeps): void {
  if (deps.scheduler.installed(EXPORT_CONTINUE_HANDLER) > 0) deps.scheduler.schedule(EXPORT_CONTINUE_HANDLER, { kind: 'off' });
}
