// The export's execution (the trigger runExportContinue: one-off, installed by startExport and by each
// execution that leaves work, and recurring, as the safety net of executions the platform kills; in an
// add-on the hourly runExportSafetyNet is that net and runs the same execution): lock
// → the run → its folder → the manifest → the snapshot (listed once) → a batch in doubt resolved → read
// chunks into batches and write each full batch, checkpointing after each file, until the snapshot
// ends, the time budget is spent or a cancel is asked → write what was read → finish, or leave the rest
// to the next trigger. After a crash every step is small and saved as done. A transient failure ends
// the execution early (what was read is written first); Gmail refusing the authorisation or the
// permission fails the export.

import { errorMessage, isExecutionOver, PostroomError } from '../../domain/errors';
import { exportFolderName, finishedProgress, runningProgress, translateExport, type ExportProgress } from '../../domain/export';
import { isMailError } from '../../domain/mail-errors';
import { armSafetyAfterProgress, ensureManifest, resolveIntent } from './checkpoint';
import { isRetryable, newContext, save, timeUp, type ExecutionContext } from './context';
import {
  CONTINUE_AFTER_MS,
  CONTROL_CHECK_MS,
  EXPORT_CONTINUE_HANDLER,
  EXPORT_SAFETY_NET_HANDLER,
  MAX_TRANSIENT_STREAK,
  READ_CHUNK,
  REPEAT_MINUTES,
  SAFETY_CONTINUE_MS,
  type ExportDeps,
} from './deps';
import { finishExport, stopContinuation } from './finish';
import { recordJobRun } from './job-runs';
import { ensureSnapshot } from './list-snapshot';
import { holdExportLock } from './lock';
import { readNextChunk } from './read-batch';
import { cancelRequested, loadRun } from './state-store';
import { writeBatch } from './write-batch';

const MAX_NAME_ATTEMPTS = 50;

/**
 * The export folder, one Drive request a level: each level of the `folder` path found or made and its
 * id saved, then a free `<YYYY-MM-DD_HHmm>_<slug>` name chosen (and saved before it is made), then the
 * folder made (or found, made by an execution cut off before it saved the id).
 */
function ensureFolder(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  if (run.folderId) return;
  const trail = (run.folderTrail ??= []);
  let parent = 'root';
  run.options.folder.forEach((name, depth) => {
    if (!trail[depth]) {
      trail[depth] = deps.files.folderIn(parent, name, true) as string;
      save(ctx);
    }
    parent = trail[depth];
  });
  if (!run.folderName) {
    const stamp = deps.formatDate(run.startedAt, 'yyyy-MM-dd_HHmm');
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS && !run.folderName; attempt++) {
      const name = exportFolderName(stamp, run.options.query, attempt);
      if (deps.files.folderIn(parent, name, false) === null) run.folderName = name;
    }
    if (!run.folderName)
      throw new PostroomError('INTERNAL', translateExport(deps.locale, 'error.folderTaken', { path: run.options.folder.join('/') }));
    save(ctx);
  }
  run.folderId = deps.files.folderIn(parent, run.folderName, true) as string;
  run.folderUrl = deps.files.folderUrl(run.folderId);
  save(ctx);
}

/**
 * The JobRuns row opened `running` by an execution with room for it; after a crash (small steps) it
 * waits for the end, which writes it once either way (found again by run id).
 */
function openJobRun(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  if (run.jobRunRow !== null || ctx.lean) return;
  recordJobRun(deps, run, 'running', null, runningProgress(run, deps.locale).summary);
  save(ctx);
}

/**
 * No finally runs when the platform kills an execution: a trigger must be there to carry on. A
 * recurring one is put in place once (saved with the execution's first write); where the platform
 * refuses it (an add-on), the hourly net (runExportSafetyNet) once, and the execution's one-off comes
 * after its first file (checkpoint.ts); refused too, a one-off safety trigger armed by every execution.
 */
function armSafety(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  const { scheduler } = deps;
  if (run.repeating || run.hourlyNet) return;
  if (!run.noRepeat && scheduler.repeatEvery) {
    if (scheduler.repeatEvery(EXPORT_CONTINUE_HANDLER, REPEAT_MINUTES)) {
      run.repeating = true;
      return;
    }
    run.noRepeat = true;
    // Saved at once: an execution cut short here does not try the refused trigger again.
    if (scheduler.repeatHourly) save(ctx);
  }
  if (!run.noHourlyNet && scheduler.repeatHourly && scheduler.armAfter) {
    if (scheduler.repeatHourly(EXPORT_SAFETY_NET_HANDLER)) {
      run.hourlyNet = true;
      return;
    }
    run.noHourlyNet = true;
  }
  scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, SAFETY_CONTINUE_MS);
}

/** The run saved as not working; the next execution comes from a one-off trigger (and the recurring one, kept). */
function leavePending(ctx: ExecutionContext, delayMs: number): ExportProgress {
  const { deps, run } = ctx;
  run.inFlight = false;
  // Until it is in place again, executions arm their own safety trigger (continueAfter removes it).
  const repeat = run.repeating === true;
  run.repeating = false;
  // continueAfter replaces every one-off armed so far (and a second hourly net a kill left) with this one.
  if (run.hourlyNet) run.armedOneOffs = 1;
  save(ctx);
  deps.scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, delayMs, run.hourlyNet ? EXPORT_SAFETY_NET_HANDLER : undefined);
  if (repeat && deps.scheduler.repeatEvery?.(EXPORT_CONTINUE_HANDLER, REPEAT_MINUTES)) {
    run.repeating = true;
    save(ctx);
  }
  return runningProgress(run, deps.locale);
}

function failureMessage(ctx: ExecutionContext, error: unknown): string {
  return isMailError(error)
    ? translateExport(ctx.deps.locale, 'error.gmail', { message: error.userMessage(ctx.deps.locale) })
    : errorMessage(error);
}

function work(ctx: ExecutionContext): ExportProgress {
  const { deps, run } = ctx;
  if (run.finishing) return finishedProgress(finishExport(ctx, run.finishing.state, run.finishing.error), deps.locale);
  // Each step before the first file is progress: under the hourly net, the one-off follows the first saved.
  ctx.armAfterSave = () => armSafetyAfterProgress(ctx);
  ensureFolder(ctx);
  ensureManifest(ctx);
  openJobRun(ctx);
  ensureSnapshot(ctx);
  resolveIntent(ctx);
  // Not after the intent's save (the file's calls come next): after the checkpoint (commitBatch).
  ctx.armAfterSave = null;
  let stop: 'end' | 'time' | 'cancel' = 'end';
  // After a crash the first file comes first: a cancel is looked at after it.
  let controlCheckedAt = ctx.lean ? deps.clock.now() : -Infinity;
  while (ctx.position < (run.total ?? 0)) {
    if (deps.clock.now() - controlCheckedAt >= CONTROL_CHECK_MS) {
      controlCheckedAt = deps.clock.now();
      if (cancelRequested(deps.store, run.runId)) {
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
  // A cancel asked once every message is exported changes nothing: the export is done.
  if (stop === 'cancel' || (run.cursor < (run.total ?? 0) && cancelRequested(deps.store, run.runId)))
    return finishedProgress(finishExport(ctx, 'cancelled'), deps.locale);
  if (run.cursor < (run.total ?? 0)) {
    run.transientStreak = 0;
    return leavePending(ctx, CONTINUE_AFTER_MS);
  }
  return finishedProgress(finishExport(ctx, 'done'), deps.locale);
}

/** One execution's share of the export in progress; null when there is none (or another execution holds the lock). */
export function continueExportRun(deps: ExportDeps): ExportProgress | null {
  // The lock first, then the run (read once, under it).
  const handle = holdExportLock(deps, null, undefined, false);
  if (!handle) {
    // Another job (or another execution of this one) holds the user lock: try again later (a recurring trigger will).
    const waiting = loadRun(deps.store);
    if (waiting && !waiting.repeating) deps.scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, CONTINUE_AFTER_MS);
    return null;
  }
  try {
    const run = loadRun(deps.store);
    if (!run) {
      // A trigger left by an end cut short: removed.
      stopContinuation(deps);
      return null;
    }
    if (run.mailTransport) deps.useMailTransport?.(run.mailTransport);
    const ctx = newContext(deps, run, deps.clock.now());
    const wasArmed = run.repeating === true || run.hourlyNet === true;
    armSafety(ctx);
    // A run already marked working (its execution died) needs no write to say so again: this one's
    // counts go with its first save, unless a trigger was just armed or attachments need announcing.
    const armedNow = run.repeating === true || run.hourlyNet === true;
    const mustSave = !run.inFlight || run.options.includeAttachments || armedNow !== wasArmed || (run.noRepeat === true && !armedNow);
    if (run.inFlight) {
      // The previous execution died: what it uploaded is looked for first, the next file is smaller,
      // and this one goes in small steps.
      ctx.carefulUpTo = run.uploadsUpTo;
      ctx.lean = true;
      run.crashStreak += 1;
    }
    // Saved now rather than before the first upload (one write fewer before the first file).
    if (run.options.includeAttachments) run.uploadsUpTo = Math.max(run.uploadsUpTo, run.cursor + READ_CHUNK);
    run.inFlight = true;
    run.executions += 1;
    if (mustSave) save(ctx);
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
