// Step: the checkpoint after a batch file. The file joins manifest.json (rewritten whole, so the
// folder always says how far the export got), then the run's cursor, counters and intent are saved in
// one property write. An intent left by a killed execution is resolved at the next start: the file
// of that name with the intent's size is the complete batch (taken as written); anything else means
// the batch is read and written again.

import { buildManifest, MANIFEST_NAME, manifestFiles } from '../../domain/export';
import { emptyBatch } from '../../domain/export';
import { emptyPending, save, type ExecutionContext } from './context';

export function writeManifest(ctx: ExecutionContext, state: 'running' | 'done' | 'cancelled' | 'failed', finishedAt: number | null): void {
  const { deps, run } = ctx;
  const text = JSON.stringify(buildManifest(run, ctx.files, state, finishedAt, deps.maxFileBytes), null, 2) + '\n';
  deps.files.writeText(run.folderId as string, MANIFEST_NAME, text, 'application/json');
}

/** The files manifest.json lists (read once per execution). */
export function loadManifestFiles(ctx: ExecutionContext): void {
  ctx.files = manifestFiles(ctx.deps.files.readText(ctx.run.folderId as string, MANIFEST_NAME));
}

/** Records the batch in the intent (or, with `bytes` null, only the ids found missing) and moves the cursor. */
export function commitBatch(ctx: ExecutionContext, bytes: number | null): void {
  const { run } = ctx;
  const intent = run.intent;
  if (intent && bytes !== null) {
    if (!ctx.files.some((f) => f.name === intent.name)) {
      ctx.files.push({
        name: intent.name,
        messages: intent.count,
        bytes,
        first: intent.from,
        last: intent.to - 1,
        firstId: intent.firstId,
        lastId: intent.lastId,
        splitForSize: intent.splitForSize,
      });
    }
    writeManifest(ctx, 'running', null);
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
  save(ctx);
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
    if (found) deps.files.trash(run.folderId as string, intent.name);
    run.intent = null;
    save(ctx);
  }
  ctx.position = run.cursor;
  ctx.batch = emptyBatch(run.cursor);
}
