// Step: write the batch being filled as the next messages-NNNNN.json. The intent (file name, snapshot
// range, byte size) is saved first; then the file is written whole (create, or replace a same-name file
// a killed execution left); then the checkpoint (checkpoint.ts) records it. A batch in doubt is thus
// always found again by name and size, and no message is in two files.

import { batchFileName, batchText, emptyBatch } from '../../domain/export';
import { commitBatch } from './checkpoint';
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
  ctx.batch = emptyBatch(ctx.position); // the text is all we need now: let the items go
  const file = deps.files.writeText(run.folderId as string, run.intent.name, text, 'application/json');
  commitBatch(ctx, file.size);
}
