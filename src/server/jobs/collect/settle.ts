// SETTLE, after a chunk's files are stored: each attachment's real outcome becomes its Receipts row
// and counts, and each message whose attachments were all handled gets its labels (applied at the
// commit). A message with an attachment in error or deferred is not labelled: the next run meets it again
// (a failure that may pass is first taken again by the run's next execution: see process.ts).

import {
  countQuarantine,
  receiptToRow,
  storagePath,
  type AttachmentCandidate,
  type QuarantineReason,
  type ReceiptState,
  type WalkResult,
} from '../../domain/collect';
import type { AttachmentResult, Execution, MessageDecision, MessagePlan, PendingLabels, PendingUpload } from './execution';

/** The log fields that name an attachment. */
export interface AttachmentFields {
  messageId: string;
  partId: string;
  filename: string;
}

/** What the decision said of a file to store, for its row once stored. */
export interface StoredDecision {
  state: ReceiptState;
  reason: QuarantineReason | null;
  detail: string;
  day: string;
  sha: string;
  mimeType: string;
  size: number;
}

export interface ReceiptOutcome {
  state: ReceiptState;
  reason: string;
  sha: string;
  file: { id: string; url: string; path: string } | null;
  mimeType: string;
  size: number;
}

/** Rows, counts and labels of one message from the real outcomes of its attachments. */
export function settleMessage(ex: Execution, decision: MessageDecision): void {
  if (!decision.attachments) return;
  const { plan } = decision;
  const labels: PendingLabels = { imported: false, quarantine: false };
  let failed = false;
  for (const settle of decision.attachments) {
    const result = settle();
    if (result === 'error' || result === 'deferred') failed = true;
    else if (result === 'imported') labels.imported = true;
    else if (result === 'quarantined') labels.quarantine = true;
  }
  if (failed) {
    ex.log.warn('message.not_labelled', {
      messageId: plan.id,
      reason: 'an attachment could not be handled; the message is tried again next run',
    });
    return;
  }
  if (labels.imported || labels.quarantine) ex.labels.set(plan.id, labels);
}

/** The outcome of a file decided for the chunk: its row and counts once stored, an error if not. */
export function settleStored(
  ex: Execution,
  plan: MessagePlan,
  candidate: AttachmentCandidate,
  key: string,
  fields: AttachmentFields,
  upload: PendingUpload,
  decided: StoredDecision,
): AttachmentResult {
  const m = ex.current;
  const { state, reason, detail, day, sha } = decided;
  const result = upload.result;
  if (!result || !result.ok) {
    m.errorsCount += 1;
    ex.log.error('attachment.store_failed', {
      ...fields,
      reason: result ? result.error : 'not stored',
      maybeCreated: result ? result.maybeCreated : false,
      path: storagePath(state, day, upload.name),
    });
    return 'error';
  }
  const file = { id: result.file.id, url: result.file.url, path: storagePath(state, day, upload.name) };
  record(ex, plan, candidate, key, {
    state,
    reason: reason ? `${reason}: ${detail}` : '',
    sha,
    file,
    mimeType: decided.mimeType,
    size: decided.size,
  });
  if (state === 'quarantined') {
    countQuarantine(m, reason as QuarantineReason);
    ex.log.warn('attachment.quarantined', { ...fields, reason, detail, path: file.path, sha256: sha });
    return 'quarantined';
  }
  m.receiptsCreated += 1;
  ex.log.info('attachment.ingested', {
    ...fields,
    path: file.path,
    sha256: sha,
    size: decided.size,
    sender: (plan.walk as WalkResult).message.from.address,
  });
  return 'imported';
}

/** Indexes the attachment, and queues its Receipts row (none in a dry run). */
export function record(ex: Execution, plan: MessagePlan, candidate: AttachmentCandidate, key: string, outcome: ReceiptOutcome): void {
  const message = (plan.walk as WalkResult).message;
  ex.index.add(key, outcome.sha);
  if (ex.state.request.dryRun) return;
  ex.rows.push(
    receiptToRow({
      source: 'gmail',
      gmailMessageId: plan.id,
      attachmentKey: key,
      originalFilename: candidate.filename,
      contentType: outcome.mimeType,
      filesize: outcome.size,
      sha256: outcome.sha,
      storagePath: outcome.file?.path ?? '',
      driveFileId: outcome.file?.id ?? '',
      driveUrl: outcome.file?.url ?? '',
      sender: message.from.name ? `${message.from.name} <${message.from.address}>` : message.from.address,
      subject: message.subject,
      receivedAtMs: message.internalDateMs ?? ex.deps.clock.now(),
      state: outcome.state,
      reason: outcome.reason,
    }),
  );
}
