// One execution of an export: its deps, the run it works on, the snapshot of ids, the batch being
// filled, the manifest's files, and the helpers every step shares: the time budget, quota pacing
// (waits on the virtual or real clock, never past the budget), usage accounting and saving.

import { isExecutionOver } from '../../domain/errors';
import { isMailError, TransientError } from '../../domain/mail-errors';
import { emptyBatch, spend, waitBefore, type ExportRun, type ManifestFile, type PendingBatch } from '../../domain/export';
import { EXECUTION_BUDGET_MS, READ_CHUNK, type ExportDeps } from './deps';
import { saveRun } from './state-store';

export interface ExecutionContext {
  deps: ExportDeps;
  run: ExportRun;
  startedAt: number;
  /** The selected ids, newest first (loaded from the snapshot file when the run's ids ahead do not cover a read); null before. */
  ids: string[] | null;
  /**
   * The previous execution died: this one goes in small steps, each saved as done (a cancel is looked
   * at after its first file, the JobRuns row is written at the end).
   */
  lean: boolean;
  /** This execution has armed its one-off safety trigger (under the hourly net: after its first file). */
  safetyArmed: boolean;
  /** The run's saves made by this execution. */
  saves: number;
  /** The next save is durable progress after which the one-off safety trigger may come (see armSafetyAfterProgress). */
  armAfterSave: (() => void) | null;
  /** Snapshot position of the run's first id kept ahead (the cursor when they were saved). */
  aheadFrom: number;
  /** manifest.json's files, once read (null before: read with the first write that needs them). */
  filesLoaded: boolean;
  /** The manifest's text asked to come with the next Gmail read (see ExportFiles.askText). */
  manifestAsked: (() => string | null) | null;
  /** Messages read but not yet in a file. */
  batch: PendingBatch;
  /** Next snapshot position to read (past the batch's messages and the ids Gmail no longer has). */
  position: number;
  /** Counts of the batch being filled, added to the run at its checkpoint (a crash must not count them twice). */
  pending: { missingIds: string[]; attachmentsSeen: number; attachmentsStored: number; attachmentsFailed: number };
  /** Reads in a row that met a transient error. */
  readFailures: number;
  /**
   * Messages per read. A network failure of one request fails a whole fetchAll, so after a failed
   * read the next reads are smaller (halved, down to 5), and grow back slowly (5 more after each clean
   * one, up to 50).
   */
  chunkSize: number;
  /** Chunks read in this execution (the first one is read whatever the clock says: every execution progresses). */
  chunksRead: number;
  /** The files written so far (from manifest.json). */
  files: ManifestFile[];
  /**
   * After a crash: the attachments of positions before this one may already be in Drive (uploaded by
   * the execution that died), so they are looked for by name and size before uploading.
   */
  carefulUpTo: number;
  /** Gmail usage of the gateway when this execution started (the gateway counts from its creation). */
  usageBase: { calls: number; units: number };
  /** The run's cursor when this execution started (did it move the export forward?). */
  cursorAtStart: number;
  /** When the last paced Gmail call started. */
  paidAt?: number;
  /** The gateway's unit count when the pacer last recorded it. */
  unitsSeen: number;
  runUsageBase: { calls: number; units: number };
}

export function newContext(deps: ExportDeps, run: ExportRun, startedAt: number): ExecutionContext {
  return {
    deps,
    run,
    startedAt,
    ids: null,
    lean: false,
    safetyArmed: false,
    saves: 0,
    armAfterSave: null,
    aheadFrom: run.cursor,
    filesLoaded: false,
    manifestAsked: null,
    batch: emptyBatch(run.cursor),
    position: run.cursor,
    pending: emptyPending(),
    readFailures: 0,
    chunksRead: 0,
    chunkSize: READ_CHUNK,
    files: [],
    carefulUpTo: 0,
    usageBase: deps.mail.usage(),
    unitsSeen: deps.mail.usage().units,
    cursorAtStart: run.cursor,
    runUsageBase: { calls: run.gmailCalls, units: run.gmailUnits },
  };
}

export function emptyPending(): ExecutionContext['pending'] {
  return { missingIds: [], attachmentsSeen: 0, attachmentsStored: 0, attachmentsFailed: 0 };
}

/**
 * The most messages the next file may hold: batchSize, or after executions that died before writing
 * one, 50 then 25, 12, 6, 3, 1, so that an execution killed at a fixed call still writes a file.
 */
export function batchLimit(ctx: ExecutionContext): number {
  const { crashStreak, options } = ctx.run;
  return crashStreak === 0 ? options.batchSize : Math.min(options.batchSize, Math.max(1, 50 >> (crashStreak - 1)));
}

export function timeLeft(ctx: ExecutionContext): number {
  return (ctx.deps.budgetMs ?? EXECUTION_BUDGET_MS) - (ctx.deps.clock.now() - ctx.startedAt);
}

export function timeUp(ctx: ExecutionContext): boolean {
  return timeLeft(ctx) <= 0;
}

/**
 * Waits until `units` more (the estimate of the next Gmail call) fit the quota; false when that wait
 * would run past the budget. What the call really cost, retries inside the gateway included, is
 * recorded after it by `charged`.
 */
export function pace(ctx: ExecutionContext, units: number): boolean {
  const wait = waitBefore(ctx.run.recentUnits, ctx.deps.clock.now(), units);
  if (wait > 0) {
    // A wait is at most a minute (the quota window): taken even past the budget for an execution's first chunk.
    if (wait >= timeLeft(ctx) && ctx.chunksRead > 0) return false;
    ctx.deps.clock.sleep(wait);
  }
  ctx.paidAt = ctx.deps.clock.now();
  return true;
}

/** Records the units the gateway spent since the last record, in the pacer's window. */
export function charged(ctx: ExecutionContext): void {
  const units = ctx.deps.mail.usage().units;
  // Dated when the call started (Gmail counts a request when it arrives), so the next one may follow a second later.
  spend(ctx.run.recentUnits, ctx.paidAt ?? ctx.deps.clock.now(), units - ctx.unitsSeen);
  ctx.unitsSeen = units;
}

/** Copies the gateway's usage into the run's counters. */
export function recordUsage(ctx: ExecutionContext): void {
  const usage = ctx.deps.mail.usage();
  ctx.run.gmailCalls = ctx.runUsageBase.calls + usage.calls - ctx.usageBase.calls;
  ctx.run.gmailUnits = ctx.runUsageBase.units + usage.units - ctx.usageBase.units;
}

export function save(ctx: ExecutionContext): void {
  ctx.saves += 1;
  recordUsage(ctx);
  saveRun(ctx.deps.store, ctx.run);
  const arm = ctx.armAfterSave;
  ctx.armAfterSave = null;
  arm?.();
}

/** Errors worth another try later: Gmail's transient / quota errors, and anything Drive threw. */
export function isRetryable(error: unknown): boolean {
  if (isMailError(error)) return error.kind === 'transient' || error.kind === 'quota';
  return !isExecutionOver(error);
}

/** The error that ends an execution early when Gmail keeps failing on a read. */
export function stillFailing(operation: string, detail: string): TransientError {
  return new TransientError({ operation, status: 0, detail, mayHaveHappened: false });
}
