// One execution of an export: its deps, the run it works on, the snapshot of ids, the batch being
// filled, the manifest's files, and the helpers every step shares: the time budget, quota pacing
// (waits on the virtual or real clock, never past the budget), usage accounting and saving.

import { isMailError, TransientError } from '../../domain/mail-errors';
import { emptyBatch, spend, waitBefore, type ExportRun, type ManifestFile, type PendingBatch } from '../../domain/export';
import { EXECUTION_BUDGET_MS, type ExportDeps } from './deps';
import { saveRun } from './state-store';

export interface ExecutionContext {
  deps: ExportDeps;
  run: ExportRun;
  startedAt: number;
  /** The selected ids, newest first (loaded from the snapshot file). */
  ids: string[];
  /** Messages read but not yet in a file. */
  batch: PendingBatch;
  /** Next snapshot position to read (past the batch's messages and the ids Gmail no longer has). */
  position: number;
  /** Counts of the batch being filled, added to the run at its checkpoint (a crash must not count them twice). */
  pending: { missingIds: string[]; attachmentsSeen: number; attachmentsStored: number; attachmentsFailed: number };
  /** Reads in a row that met a transient error. */
  readFailures: number;
  /** Chunks read in this execution (the first one is read whatever the clock says: every execution progresses). */
  chunksRead: number;
  /** The export folder's attachments/ folder, once created in this execution. */
  attachmentsFolderId: string | null;
  /** The files written so far (from manifest.json). */
  files: ManifestFile[];
  /**
   * After a crash: the attachments of positions before this one may already be in Drive (uploaded by
   * the execution that died), so they are looked for by name and size before uploading.
   */
  carefulUpTo: number;
  /** Gmail usage of the gateway when this execution started (the gateway counts from its creation). */
  usageBase: { calls: number; units: number };
  runUsageBase: { calls: number; units: number };
}

export function newContext(deps: ExportDeps, run: ExportRun, startedAt: number): ExecutionContext {
  return {
    deps,
    run,
    startedAt,
    ids: [],
    batch: emptyBatch(run.cursor),
    position: run.cursor,
    pending: emptyPending(),
    readFailures: 0,
    chunksRead: 0,
    attachmentsFolderId: null,
    files: [],
    carefulUpTo: 0,
    usageBase: deps.mail.usage(),
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

/** Waits until `units` more fit the quota; false when that wait would run past the budget. */
export function pace(ctx: ExecutionContext, units: number): boolean {
  const wait = waitBefore(ctx.run.recentUnits, ctx.deps.clock.now(), units);
  if (wait > 0) {
    // A wait is at most a minute (the quota window): taken even past the budget for an execution's first chunk.
    if (wait >= timeLeft(ctx) && ctx.chunksRead > 0) return false;
    ctx.deps.clock.sleep(wait);
  }
  spend(ctx.run.recentUnits, ctx.deps.clock.now(), units);
  return true;
}

/** Copies the gateway's usage into the run's counters. */
export function recordUsage(ctx: ExecutionContext): void {
  const usage = ctx.deps.mail.usage();
  ctx.run.gmailCalls = ctx.runUsageBase.calls + usage.calls - ctx.usageBase.calls;
  ctx.run.gmailUnits = ctx.runUsageBase.units + usage.units - ctx.usageBase.units;
}

export function save(ctx: ExecutionContext): void {
  recordUsage(ctx);
  saveRun(ctx.deps.store, ctx.run);
}

/** An Apps Script execution cut off (time limit or kill): nothing may be caught and carried on. */
export function isExecutionOver(error: unknown): boolean {
  const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
  return /Exceeded maximum execution time|Execution killed/i.test(message);
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
