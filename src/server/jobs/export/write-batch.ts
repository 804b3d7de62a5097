// Step: write the batch being filled as the next messages-NNNNN.json. The intent (file name, snapshot
// range, byte size) is saved first; then the file is created whole, with manifest.json rewritten to
// list it in the same round trip; then the checkpoint (checkpoint.ts) records it. A batch in doubt is
// thus always found again by name and size (a same-name file of another size is trashed before the
// batch is read again), and no message is in two files.

import { batchFileName, batchText, emptyBatch } from '../../domain/export';
import { commitBatch, manifestWithIntent } from './checkpoint';
import { save, type ExecutionContext } from './context';

/** Writes the current batch (if it holds messages) and checkpoints; a batch of only missing ids just moves the cursor. */
export function writeBatch(ctx: ExecutionContext): void {
  const { deps, run, batch } = ctx;
  if (!batch.items.length) {
    if (ctx.position > run.cursor) commitBatch(ctx, null);
    return;
  }
  const index = run.files + 1;
  run.intent = {
    index,
    name: batchFileName(index),
    from: batch.from,
    to: ctx.position,
    count: batch.items.length,
    bytes: batch.bytes,
    splitForSize: batch.splitForSize,
    firstId: batch.ids[0],
    lastId: batch.ids[batch.ids.length - 1],
    missingIds: ctx.pending.missingIds.slice(0, 100),
    attachments: { seen: ctx.pending.attachmentsSeen, stored: ctx.pending.attachmentsStored, failed: ctx.pending.attachmentsFailed },
  };
  save(ctx);
  const text = batchText(batch);
  // The text is all that is needed now: let the items go (memory holds one batch, not two).
  batch.items = [];
  ctx.batch = emptyBatch(ctx.position);
  const alongside = manifestWithIntent(ctx, run.intent.bytes);
  const { file, alongsideDone } = deps.files.createText(run.folderId as string, run.intent.name, text, 'application/json', alongside);
  commitBatch(ctx, file.size, alongside !== null && alongsideDone);
}
