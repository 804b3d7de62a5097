// The export's execution (the one-off trigger runExportContinue, installed by startExport and by each
// execution that leaves work): lock → the run → its folder → the snapshot (listed once) → a batch in
// doubt resolved → read chunks into batches and write each full batch, checkpointing after each file,
// until the snapshot ends, the time budget is spent or a cancel is asked → write what was read →
// finish, or leave the rest to the next trigger. A transient failure ends the execution early (what
// was read is written first); Gmail refusing the authorisation or the permission fails the export.

import { errorMessage, isExecutionOver, PostroomError } from '../../domain/errors';
import { exportFolderName, finishedProgress, runningProgress, translateExport, type ExportProgress } from '../../domain/export';
import { isMailError } from '../../domain/mail-errors';
import { loadManifestFiles, resolveIntent } from './checkpoint';
import { isRetryable, newContext, save, timeUp, type ExecutionContext } from './context';
import {
  CONTINUE_AFTER_MS,
  CONTROL_CHECK_MS,
  EXPORT_CONTINUE_HANDLER,
  MAX_TRANSIENT_STREAK,
  SAFETY_CONTINUE_MS,
  type ExportDeps,
} from './deps';
import { finishExport } from './finish';
import { recordJobRun } from './job-runs';
import { ensureSnapshot } from './list-snapshot';
import { holdExportLock } from './lock';
import { readNextChunk } from './read-batch';
import { cancelRequested, loadRun } from './state-store';
import { writeBatch } from './write-batch';

const MAX_NAME_ATTEMPTS = 50;

/** The export folder: a free `<YYYY-MM-DD_HHmm>_<slug>` name chosen once (and saved before it is created). */
function ensureFolder(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  if (run.folderId) return;
  if (!run.folderName) {
    const stamp = deps.formatDate(run.startedAt, 'yyyy-MM-dd_HHmm');
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS && !run.folderName; attempt++) {
      const name = exportFolderName(stamp, run.options.query, attempt);
      if (deps.files.findFolder([...run.options.folder, name]) === null) run.folderName = name;
    }
    if (!run.folderName)
      throw new PostroomError('INTERNAL', translateExport(deps.locale, 'error.folderTaken', { path: run.options.folder.join('/') }));
    save(ctx);
  }
  run.folderId = deps.files.ensureFolder([...run.options.folder, run.folderName]);
  run.folderUrl = deps.files.folderUrl(run.folderId);
  save(ctx);
  recordJobRun(deps, run, 'running', null, runningProgress(run, deps.locale).summary);
  save(ctx);
}

function leavePending(ctx: ExecutionContext, delayMs: number): ExportProgress {
  ctx.run.inFlight = false;
  save(ctx);
  ctx.deps.scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, delayMs);
  return runningProgress(ctx.run, ctx.deps.locale);
}

function failureMessage(ctx: ExecutionContext, error: unknown): string {
  return isMailError(error)
    ? translateExport(ctx.deps.locale, 'error.gmail', { message: error.userMessage(ctx.deps.locale) })
    : errorMessage(error);
}

function work(ctx: ExecutionContext): ExportProgress {
  const { deps, run } = ctx;
  ensureFolder(ctx);
  loadManifestFiles(ctx);
  // A run whose every position is exported needs no snapshot (a finish cut off may have trashed it already).
  if (run.total === null || run.cursor < run.total) ctx.ids = ensureSnapshot(ctx);
  resolveIntent(ctx);
  let stop: 'end' | 'time' | 'cancel' = 'end';
  let controlCheckedAt = -Infinity;
  while (ctx.position < (run.total ?? 0)) {
    if (deps.clock.now() - controlCheckedAt >= CONTROL_CHECK_MS) {
      controlCheckedAt = deps.clock.now();
      if (cancelRequested(deps.store)) {
        stop = 'cancel';
        break;
      }
    }
    if ((ctx.chunksRead > 0 && timeUp(ctx)) || readNextChunk(ctx) === 'time') {
      stop = 'time';
      break;
    }
  }
  writeBatch(ctx);
  if (stop === 'cancel' || cancelRequested(deps.store)) return finishedProgress(finishExport(ctx, 'cancelled'), deps.locale);
  if (run.cursor < (run.total ?? 0)) {
    run.transientStreak = 0;
    return leavePending(ctx, CONTINUE_AFTER_MS);
  }
  return finishedProgress(finishExport(ctx, 'done'), deps.locale);
}

/** One execution's share of the export in progress; null when there is none (or another execution holds the lock). */
export function continueExportRun(deps: ExportDeps): ExportProgress | null {
  const first = loadRun(deps.store);
  if (!first) return null;
  const handle = holdExportLock(deps, first.runId, undefined, false);
  if (!handle) {
    // Another job (or another execution of this one) holds the user lock: try again later.
    deps.scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, CONTINUE_AFTER_MS);
    return null;
  }
  try {
    const run = loadRun(deps.store);
    if (!run) return null;
    const ctx = newContext(deps, run, deps.clock.now());
    deps.scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, SAFETY_CONTINUE_MS);
    if (run.inFlight) {
      // The previous execution died: what it uploaded is looked for first, and the next file is smaller.
      ctx.carefulUpTo = run.uploadsUpTo;
      run.crashStreak += 1;
    }
    run.inFlight = true;
    run.executions += 1;
    save(ctx);
    try {
      return work(ctx);
    } catch (error) {
      if (isExecutionOver(error)) throw error;
      return handleFailure(ctx, error);
    }
  } finally {
    handle.release();
  }
}

/** What was read is kept (written now, when possible); a retryable error leaves the export for the next execution. */
function handleFailure(ctx: ExecutionContext, error: unknown): ExportProgress {
  const { deps, run } = ctx;
  // The streak counts executions that ended on an error WITHOUT moving the export forward.
  if (run.cursor > ctx.cursorAtStart) run.transientStreak = 0;
  const fatal = !isRetryable(error) || run.transientStreak + 1 >= MAX_TRANSIENT_STREAK;
  if (run.folderId && run.total !== null && ctx.batch.items.length) {
    try {
      writeBatch(ctx);
    } catch (writeError) {
      if (isExecutionOver(writeError)) throw writeError;
    }
  }
  run.lastError = failureMessage(ctx, error);
  if (fatal) return finishedProgress(finishExport(ctx, 'failed', run.lastError), deps.locale);
  run.transientStreak += 1;
  return leavePending(ctx, CONTINUE_AFTER_MS);
}
