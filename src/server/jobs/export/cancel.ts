// Step: cancel. The request is written in a key of its own; when no execution is working on the export
// it is applied at once (the files written so far stay, the manifest says "cancelled"), otherwise the
// running execution applies it after the chunk it is reading (it writes what it read first).

import { finishedProgress, idleProgress, runningProgress, type ExportProgress } from '../../domain/export';
import { newContext } from './context';
import type { ExportDeps } from './deps';
import { finishExport } from './finish';
import { resolveIntent } from './checkpoint';
import { holdExportLock } from './lock';
import { loadLast, loadRun, requestCancel } from './state-store';

export function cancelExportRun(deps: ExportDeps): ExportProgress {
  const run = loadRun(deps.store);
  if (!run) {
    const last = loadLast(deps.store);
    return last ? finishedProgress(last, deps.locale) : idleProgress(deps.locale);
  }
  requestCancel(deps.store, deps.clock.now(), run.runId);
  const handle = holdExportLock(deps, run.runId, 0);
  if (!handle) return runningProgress(run, deps.locale, true);
  try {
    const current = loadRun(deps.store);
    if (!current) return idleProgress(deps.locale);
    const ctx = newContext(deps, current, deps.clock.now());
    if (current.mailTransport) deps.useMailTransport?.(current.mailTransport);
    if (current.folderId && !current.finishing) resolveIntent(ctx);
    return finishedProgress(finishExport(ctx, 'cancelled'), deps.locale);
  } finally {
    handle.release();
  }
}
