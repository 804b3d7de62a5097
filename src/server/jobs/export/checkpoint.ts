// Step: the checkpoint after a batch file. The file joins manifest.json (rewritten whole, in the same
// round trip as the file's creation, so the folder always says how far the export got), then the run's
// cursor, counters, next ids and intent are saved in one property write. An intent left by a killed
// execution is resolved at the next start: the file of that name with the intent's size is the
// complete batch (taken as written); anything else means the batch is read and written again.

import { buildManifest, MANIFEST_NAME, type ExportRun, type ManifestFile } from '../../domain/export';
import { emptyBatch } from '../../domain/export';
import type { ExportRewrite } from '../../ports/export-files';
import { emptyPending, save, type ExecutionContext } from './context';
import { ARMED_ONE_OFFS_LIMIT, EXPORT_CONTINUE_HANDLER, EXPORT_SAFETY_NET_HANDLER, READ_CHUNK, SAFETY_CONTINUE_MS } from './deps';
import { ensureFiles, keepAhead } from './list-snapshot';

const JSON_TYPE = 'application/json';

function manifestText(
  ctx: ExecutionContext,
  state: 'running' | 'done' | 'cancelled' | 'failed',
  finishedAt: number | null,
  run: ExportRun = ctx.run,
  files: readonly ManifestFile[] = ctx.files,
): string {
  return JSON.stringify(buildManifest(run, files, state, finishedAt, ctx.deps.maxFileBytes), null, 2) + '\n';
}

/** The run as the checkpoint of the intent's file (of `bytes`) will leave it: what the manifest written before it says. */
function runAfterCommit(ctx: ExecutionContext, bytes: number): ExportRun {
  const { run, pending } = ctx;
  const intent = run.intent as NonNullable<ExportRun['intent']>;
  return {
    ...run,
    files: intent.index,
    exported: run.exported + intent.count,
    bytes: run.bytes + bytes,
    missing: run.missing + pending.missingIds.length,
    missingIds: [...run.missingIds, ...pending.missingIds].slice(0, 100),
    attachmentsSeen: run.attachmentsSeen + pending.attachmentsSeen,
    attachmentsStored: run.attachmentsStored + pending.attachmentsStored,
    attachmentsFailed: run.attachmentsFailed + pending.attachmentsFailed,
  };
}

export function writeManifest(
  ctx: ExecutionContext,
  state: 'running' | 'done' | 'cancelled' | 'failed',
  finishedAt: number | null,
  run: ExportRun = ctx.run,
): void {
  const { deps } = ctx;
  ensureFiles(ctx);
  const text = manifestText(ctx, state, finishedAt, run);
  const file = deps.files.putText(run.folderId as string, MANIFEST_NAME, text, JSON_TYPE, run.manifestId ?? null);
  ctx.run.manifestId = file.id;
}

/** manifest.json made once, right after the folder (its id kept): later writes replace it by id. */
export function ensureManifest(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  if (run.manifestId) return;
  const folderId = run.folderId as string;
  // Made by an execution cut off before it saved the id: found by name, never made twice.
  const found = deps.files.findFile(folderId, MANIFEST_NAME);
  ctx.files = [];
  ctx.filesLoaded = !found;
  run.manifestId = found
    ? found.id
    : deps.files.createText(folderId, MANIFEST_NAME, manifestText(ctx, 'running', null), JSON_TYPE, null).file.id;
  save(ctx);
}

/** The manifest with the intent's file added (the rewrite that goes with the file's creation). */
export function manifestWithIntent(ctx: ExecutionContext, bytes: number): ExportRewrite | null {
  const { run } = ctx;
  if (!run.manifestId || !run.intent) return null;
  ensureFiles(ctx);
  const files = withIntentFile(ctx, bytes);
  return { id: run.manifestId, text: manifestText(ctx, 'running', null, runAfterCommit(ctx, bytes), files), mimeType: JSON_TYPE };
}

/** The manifest's files with the intent's (ctx.files itself changes only once the file is surely there). */
function withIntentFile(ctx: ExecutionContext, bytes: number): ManifestFile[] {
  const intent = ctx.run.intent;
  if (!intent || ctx.files.some((f) => f.name === intent.name)) return ctx.files;
  return [
    ...ctx.files,
    {
      name: intent.name,
      messages: intent.count,
      bytes,
      first: intent.from,
      last: intent.to - 1,
      firstId: intent.firstId,
      lastId: intent.lastId,
      splitForSize: intent.splitForSize,
    },
  ];
}

/**
 * Records the batch in the intent (or, with `bytes` null, only the ids found missing) and moves the
 * cursor. `manifestDone`: manifest.json already lists the file (written with it).
 */
export function commitBatch(ctx: ExecutionContext, bytes: number | null, manifestDone = false): void {
  const { run } = ctx;
  const intent = run.intent;
  if (intent && bytes !== null) {
    ensureFiles(ctx);
    ctx.files = withIntentFile(ctx, bytes);
    // Before the run changes: a manifest write that fails leaves the intent to resolve, never a file it omits.
    if (!manifestDone) writeManifest(ctx, 'running', null, runAfterCommit(ctx, bytes));
    run.files = intent.index;
    run.exported += intent.count;
    run.bytes += bytes;
    run.crashStreak = 0;
  }
  run.cursor = intent && bytes !== null ? intent.to : ctx.position;
  run.missing += ctx.pending.missingIds.length;
  run.missingIds = [...run.missingIds, ...ctx.pending.missingIds].slice(0, 100);
  run.attachmentsSeen += ctx.pending.attachmentsSeen;
  run.attachmentsStored += ctx.pending.attachmentsStored;
  run.attachmentsFailed += ctx.pending.attachmentsFailed;
  run.intent = null;
  ctx.pending = emptyPending();
  // The next chunk's uploads are announced with the checkpoint (no write of their own before them).
  if (run.options.includeAttachments) run.uploadsUpTo = Math.max(run.uploadsUpTo, run.cursor + READ_CHUNK);
  keepAhead(ctx);
  const arm = safetyDue(ctx);
  save(ctx);
  arm?.();
}

/**
 * Under the hourly net, an execution's one-off safety trigger (SAFETY_CONTINUE_MS) comes after its
 * first durable progress (its first file, or the steps before or at the end it saved), not before its
 * work: a short execution's calls all go to the export; one killed before this point is carried on by
 * the net (within the hour), one killed later within minutes. Counted in the run (saved by the save
 * that follows), then added; past ARMED_ONE_OFFS_LIMIT the one-offs are all replaced instead (fired
 * one-offs stay listed on the platform). Returns what to do after that save, or null.
 */
export function armSafetyAfterProgress(ctx: ExecutionContext): void {
  safetyDue(ctx)?.();
}

function safetyDue(ctx: ExecutionContext): (() => void) | null {
  const { deps, run } = ctx;
  const { scheduler } = deps;
  if (!run.hourlyNet || ctx.safetyArmed || !scheduler.armAfter) return null;
  ctx.safetyArmed = true;
  const replace = (run.armedOneOffs ?? 0) >= ARMED_ONE_OFFS_LIMIT;
  run.armedOneOffs = replace ? 1 : (run.armedOneOffs ?? 0) + 1;
  return replace
    ? () => scheduler.continueAfter(EXPORT_CONTINUE_HANDLER, SAFETY_CONTINUE_MS, EXPORT_SAFETY_NET_HANDLER)
    : () => scheduler.armAfter!(EXPORT_CONTINUE_HANDLER, SAFETY_CONTINUE_MS);
}

/**
 * A batch in doubt from a killed execution: complete when its file is there with the intent's size
 * (then recorded now); otherwise its messages are simply read again from the cursor.
 */
export function resolveIntent(ctx: ExecutionContext): void {
  const { deps, run } = ctx;
  const intent = run.intent;
  if (!intent) return;
  const found = deps.files.findFile(run.folderId as string, intent.name);
  if (found && found.size === intent.bytes) {
    ctx.position = intent.to;
    ctx.pending = {
      missingIds: intent.missingIds,
      attachmentsSeen: intent.attachments.seen,
      attachmentsStored: intent.attachments.stored,
      attachmentsFailed: intent.attachments.failed,
    };
    commitBatch(ctx, found.size);
  } else {
    // Not the file the intent describes (a write cut off before Drive stored it, or an earlier attempt's
    // content): it must not stay behind looking complete. Its messages are read and written again.
    if (found) deps.files.trashById(found.id);
    run.intent = null;
    save(ctx);
  }
  ctx.position = run.cursor;
  ctx.batch = emptyBatch(run.cursor);
}
