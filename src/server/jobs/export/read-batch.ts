// Step: read the next messages of the snapshot (one messages.get fetchAll of up to 50, paced on the
// quota), in snapshot order, into the batch being filled; a full batch is written (write-batch.ts)
// before the next message goes in. A message Gmail no longer has is noted as missing; a transient
// error stops the chunk at that message, which is read again after a pause (the order of the files
// never changes); after several failures in a row the execution ends and the next one goes on.

import {
  addToBatch,
  decodeBody,
  fits,
  MAX_FILE_BYTES,
  readMessageView,
  toExportedMessage,
  trackNewest,
  UNIT_COST,
  type MessageView,
} from '../../domain/export';
import { utf8Length } from '../../domain/encoding';
import { isMailError, type MailError } from '../../domain/mail-errors';
import type { MailMessage } from '../../ports/mail-gateway';
import { storeAttachments } from './attachments';
import { READ_CHUNK } from './deps';
import { batchLimit, charged, pace, stillFailing, timeLeft, type ExecutionContext } from './context';
import { idsAt } from './list-snapshot';
import { writeBatch } from './write-batch';

const MAX_READ_FAILURES = 8;
const MIN_READ_CHUNK = 5;
const MAX_READ_BACKOFF_MS = 10_000;

export type ReadOutcome = 'read' | 'time';

/** A snapshot position read: its message, or gone from Gmail. */
export type Slot = { id: string; message: MailMessage; view: MessageView } | { id: string; gone: true };

/** Fetches text bodies Gmail moved behind attachment ids; false when the quota wait would pass the budget. */
function fetchPendingBodies(ctx: ExecutionContext, read: Array<{ message: MailMessage; view: MessageView }>): boolean {
  const wanted = read.flatMap(({ message, view }) =>
    view.pendingBodies.map((body) => ({ view, body, ref: { messageId: message.id, attachmentId: body.attachmentId } })),
  );
  if (!wanted.length) return true;
  if (!pace(ctx, wanted.length * UNIT_COST.attachment)) return false;
  const outcomes = ctx.deps.mail.getAttachments(wanted.map((w) => w.ref));
  charged(ctx);
  wanted.forEach(({ view, body }, i) => {
    const outcome = outcomes[i];
    view[body.kind] = outcome?.ok ? decodeBody(outcome.value, body.charset) : '';
  });
  return true;
}

/** Sorts a chunk's outcomes: the positions handled (in order) up to the first one worth trying again. */
function sortOutcomes(
  ids: string[],
  outcomes: ReturnType<ExecutionContext['deps']['mail']['getMessages']>,
): { slots: Slot[]; failure: MailError | null } {
  const slots: Slot[] = [];
  for (let i = 0; i < ids.length; i++) {
    const outcome = outcomes[i];
    if (outcome?.ok) {
      slots.push({ id: ids[i], message: outcome.value, view: readMessageView(outcome.value.resource) });
      continue;
    }
    const error = outcome?.error;
    if (!error || !isMailError(error)) return { slots, failure: stillFailing('getMessages', 'no answer') };
    if (error.kind === 'not_found' || error.kind === 'invalid_request') slots.push({ id: ids[i], gone: true });
    else if (error.kind === 'auth' || error.kind === 'permission') throw error;
    else return { slots, failure: error };
  }
  return { slots, failure: null };
}

/** Reads the next chunk into the batch (writing full batches as it goes). */
export function readNextChunk(ctx: ExecutionContext): ReadOutcome {
  const { deps, run } = ctx;
  const limit = batchLimit(ctx);
  const ids = idsAt(ctx, ctx.position, Math.min(ctx.chunkSize, limit));
  if (!pace(ctx, ids.length * UNIT_COST.get)) return 'time';
  // The manifest (needed for this batch's checkpoint) comes with the read: one call carries both.
  if (!ctx.filesLoaded && !ctx.manifestAsked && run.manifestId) ctx.manifestAsked = deps.files.askText(run.manifestId);
  const outcomes = deps.mail.getMessages(ids, 'full');
  charged(ctx);
  const { slots, failure } = sortOutcomes(ids, outcomes);
  const read = slots.filter((slot): slot is Extract<Slot, { message: MailMessage }> => 'message' in slot);
  if (!fetchPendingBodies(ctx, read)) return 'time';
  const stored = run.options.includeAttachments ? storeAttachments(ctx, read) : new Map();
  if (stored === null) return 'time';
  for (const slot of slots) {
    if (!('message' in slot)) {
      ctx.pending.missingIds.push(slot.id);
      ctx.position++;
      continue;
    }
    const exported = toExportedMessage(slot.view);
    for (const attachment of exported.Attachments) Object.assign(attachment, stored.get(`${slot.id}/${attachment.id}`) ?? {});
    ctx.pending.attachmentsSeen += exported.Attachments.length;
    const json = JSON.stringify(exported);
    const bytes = utf8Length(json);
    if (!fits(ctx.batch, bytes, limit, deps.maxFileBytes ?? MAX_FILE_BYTES)) {
      ctx.batch.splitForSize = ctx.batch.items.length < limit;
      writeBatch(ctx);
    }
    addToBatch(ctx.batch, slot.id, json, bytes);
    trackNewest(run, slot.id, Number.isFinite(slot.message.internalDate) ? slot.message.internalDate : null);
    ctx.position++;
    if (ctx.batch.items.length >= limit) writeBatch(ctx);
  }
  ctx.chunksRead++;
  if (!failure) {
    ctx.readFailures = 0;
    ctx.chunkSize = Math.min(READ_CHUNK, ctx.chunkSize + MIN_READ_CHUNK);
    return 'read';
  }
  ctx.readFailures++;
  ctx.chunkSize = Math.max(MIN_READ_CHUNK, Math.floor(ctx.chunkSize / 2));
  const backoff = Math.max(failure.retryAfterMs ?? 0, Math.min(MAX_READ_BACKOFF_MS, 1000 * 2 ** (ctx.readFailures - 1)));
  if (ctx.readFailures >= MAX_READ_FAILURES || backoff >= timeLeft(ctx)) throw failure;
  deps.clock.sleep(backoff);
  return 'read';
}
