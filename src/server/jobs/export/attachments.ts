// Step (includeAttachments): the bytes of each attachment of the messages just read, fetched with the
// attachment ids of that same messages.get (they change between reads), in rounds of at most 20 MB,
// and stored in the export folder's attachments/ as `<message id>_<part id>_<file name>`. An upload
// is not idempotent: after a crash (careful mode) or an upload in doubt, the file is looked for by
// name and size first and reused when it is there. A file that cannot be stored is an error on its
// attachment entry in the JSON, never a reason to lose the message.

import { attachmentFileName, ATTACHMENTS_FOLDER, UNIT_COST, type ExportedAttachment, type MessageView } from '../../domain/export';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import { isMailError } from '../../domain/mail-errors';
import type { ExportFileInfo, ExportNewFile } from '../../ports/export-files';
import type { MailMessage } from '../../ports/mail-gateway';
import { ATTACHMENT_ROUND_BYTES, READ_CHUNK } from './deps';
import { charged, pace, save, type ExecutionContext } from './context';

type Stored = Pick<ExportedAttachment, 'file' | 'error'>;

interface Wanted {
  key: string;
  messageId: string;
  name: string;
  size: number;
  mimeType: string;
  attachmentId: string | null;
  data: string | null;
}

/** The attachments/ folder: created (or found) once per export, its id kept in the run. */
function attachmentsFolder(ctx: ExecutionContext): string {
  const { run, deps } = ctx;
  if (!run.attachmentsFolderId) {
    run.attachmentsFolderId = deps.files.folderIn(run.folderId as string, ATTACHMENTS_FOLDER, true) as string;
    save(ctx);
  }
  return run.attachmentsFolderId;
}

/** Groups items into rounds of at most `maxBytes` declared bytes (an item over the limit gets a round of its own). */
function rounds<T extends { size: number }>(items: T[], maxBytes: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length && bytes + item.size > maxBytes) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length) out.push(current);
  return out;
}

/** Uploads one round's files; in doubt or refused, looks by name and tries once more. */
function upload(
  ctx: ExecutionContext,
  folderId: string,
  files: Array<{ key: string; file: ExportNewFile }>,
  result: Map<string, Stored>,
  probes: Map<string, () => ExportFileInfo | null> | null,
): void {
  const { deps } = ctx;
  let todo = files;
  if (probes) {
    todo = files.filter(({ key, file }) => {
      const found = (probes.get(file.name) ?? (() => deps.files.findFile(folderId, file.name)))();
      if (found && found.size === file.bytes.length) result.set(key, { file: file.name });
      return !(found && found.size === file.bytes.length);
    });
  }
  for (let attempt = 1; todo.length && attempt <= 2; attempt++) {
    const outcomes = deps.files.upload(todo.map((t) => t.file));
    const again: typeof todo = [];
    todo.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) return result.set(item.key, { file: item.file.name });
      const found = outcome.maybeCreated ? deps.files.findFile(folderId, item.file.name) : null;
      if (found && found.size === item.file.bytes.length) return result.set(item.key, { file: item.file.name });
      if (attempt < 2) again.push(item);
      else result.set(item.key, { error: outcome.error });
    });
    todo = again;
  }
}

/** Stores the attachments of `read`; null when the quota wait would run past the budget. */
export function storeAttachments(
  ctx: ExecutionContext,
  read: Array<{ message: MailMessage; view: MessageView }>,
): Map<string, Stored> | null {
  const result = new Map<string, Stored>();
  const wanted: Wanted[] = read.flatMap(({ message, view }) =>
    view.attachments.map((a) => ({
      key: `${message.id}/${a.partId}`,
      messageId: message.id,
      name: attachmentFileName(message.id, a.partId, a.filename),
      size: a.size,
      mimeType: a.mimeType || 'application/octet-stream',
      attachmentId: a.attachmentId,
      data: a.data,
    })),
  );
  if (!wanted.length) return result;
  const folderId = attachmentsFolder(ctx);
  // Written down before any upload: a crash after this point makes the next execution look first.
  const chunkEnd = ctx.position + READ_CHUNK;
  if (ctx.run.uploadsUpTo < chunkEnd) {
    ctx.run.uploadsUpTo = chunkEnd;
    save(ctx);
  }
  for (const round of rounds(wanted, ATTACHMENT_ROUND_BYTES)) {
    const remote = round.filter((w) => w.attachmentId !== null);
    if (remote.length && !pace(ctx, remote.length * UNIT_COST.attachment)) return null;
    // After a crash, each file is looked for before its upload: the lookups ride the attachments' read.
    const probes = ctx.position < ctx.carefulUpTo ? new Map(round.map((w) => [w.name, ctx.deps.files.askFile(folderId, w.name)])) : null;
    const fetched = remote.length
      ? ctx.deps.mail.getAttachments(remote.map((w) => ({ messageId: w.messageId, attachmentId: w.attachmentId as string })))
      : [];
    if (remote.length) charged(ctx);
    const files: Array<{ key: string; file: ExportNewFile }> = [];
    round.forEach((w) => {
      let bytes: Uint8Array | null = null;
      if (w.attachmentId === null) {
        try {
          bytes = ctx.deps.codecs.base64Decode(w.data ?? '');
        } catch (error) {
          if (isExecutionOver(error)) throw error;
          result.set(w.key, { error: errorMessage(error) });
          return;
        }
      } else {
        const outcome = fetched[remote.indexOf(w)];
        if (!outcome?.ok) {
          const error = outcome?.error;
          result.set(w.key, { error: error && isMailError(error) ? error.userMessage(ctx.deps.locale) : 'no answer from Gmail' });
          return;
        }
        bytes = outcome.value;
      }
      files.push({ key: w.key, file: { folderId, name: w.name, bytes, mimeType: w.mimeType } });
    });
    if (files.length) upload(ctx, folderId, files, result, probes);
  }
  for (const w of wanted) {
    const stored = result.get(w.key);
    if (stored?.file) ctx.pending.attachmentsStored++;
    else ctx.pending.attachmentsFailed++;
  }
  return result;
}
