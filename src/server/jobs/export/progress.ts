// Step: the progress the sidebar and the card poll (getExportProgress): the run in progress from the
// user properties, else the last finished export, else idle. A run nobody is working on and no
// trigger will continue (its start was cut off before it installed one) gets its trigger back here.

import { finishedProgress, idleProgress, runningProgress, type ExportProgress } from '../../domain/export';
import { CONTINUE_AFTER_MS, EXPORT_CONTINUE_HANDLER, type ExportDeps } from './deps';
import { cancelRequested, EXPORT_KEYS, loadLast, loadRun } from './state-store';

export function viewExportProgress(deps: ExportDeps): ExportProgress {
  const run = loadRun(deps.store);
  if (run) {
    if (deps.scheduler.installed(EXPORT_CONTINUE_HANDLER) === 0 && deps.store.get(EXPORT_KEYS.holder) === null) {
      deps.scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, CONTINUE_AFTER_MS);
    }
    return runningProgress(run, deps.locale, cancelRequested(deps.store, run.runId));
  }
  const last = loadLast(deps.store);
  return last ? finishedProgress(last, deps.locale) : idleProgress(deps.locale);
}
