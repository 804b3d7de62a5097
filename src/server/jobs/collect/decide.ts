// DECIDE, per message then per attachment, everything that needs no write: the message's checks and
// counts (fetch failure, MIME problems, sender), then each attachment: met before (own row of a dead
// execution, known key), skipped, quarantined on Gmail's size, or its bytes hashed, deduplicated by
// sha256, classified with the bytes and given a file to store. Counted and logged now; the Receipts
// row (if any) is recorded when the attachment settles, in message order, from the real outcome.

import {
  attachmentKey,
  classifyAttachment,
  classifySender,
  countQuarantine,
  countSkip,
  decodeInlineData,
  sha256Hex,
  type AttachmentCandidate,
  type QuarantineReason,
  type ReceiptState,
  type SkipReason,
  type WalkResult,
} from '../../domain/collect';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import type { Execution, MessageDecision, MessagePlan, SettleAttachment } from './execution';
import type { Download } from './mail';
import { record, settleStored, type AttachmentFields } from './settle';
import { planFile } from './store';

/** Message-level checks and counts, and the decision for each attachment (settled after the store). */
export function decideMessage(ex: Execution, plan: MessagePlan, bytes: Map<string, Download>, weight: number): MessageDecision {
  const m = ex.current;
  const { log } = ex;
  const decision: MessageDecision = { plan, weight, attachments: null };
  m.emailsScanned += 1;
  if (!plan.walk) {
    m.errorsCount += 1;
    log.error('message.fetch_failed', { messageId: plan.id, reason: plan.fetchError ?? '' });
    return decision;
  }
  const walk = plan.walk;
  for (const [reason, count] of Object.entries(walk.skipped)) countSkip(m, reason as SkipReason, count ?? 0);
  for (const problem of walk.problems) log.warn('message.mime_problem', { messageId: plan.id, reason: problem });
  if (walk.driveLinks.length) log.info('message.drive_links', { messageId: plan.id, links: walk.driveLinks.length });
  const from = walk.message.from;
  const sender = classifySender(from.address, walk.message.auth, ex.settings);
  if (sender.verdict === 'skip') {
    countSkip(m, 'sender_not_allowed');
    log.info('message.skipped', { messageId: plan.id, reason: sender.reason, sender: from.address, attachments: walk.candidates.length });
    return decision;
  }
  const senderQuarantine = sender.verdict === 'quarantine' ? sender : null;
  if (senderQuarantine) log.warn('message.sender_not_authenticated', { messageId: plan.id, sender: from.address, reason: senderQuarantine.detail });
  decision.attachments = walk.candidates.map((candidate) => decideAttachment(ex, plan, candidate, bytes, senderQuarantine ? senderQuarantine.detail : null));
  return decision;
}

function decideAttachment(
  ex: Execution,
  plan: MessagePlan,
  candidate: AttachmentCandidate,
  bytes: Map<string, Download>,
  senderNotAuthenticated: string | null,
): SettleAttachment {
  const m = ex.current;
  const key = attachmentKey(plan.id, candidate.partId);
  const fields: AttachmentFields = { messageId: plan.id, partId: candidate.partId, filename: candidate.filename };
  m.attachmentsSeen += 1;
  const known = decideKnown(ex, key, fields);
  if (known) return known;
  const pre = classifyAttachment({ declaredMimeType: candidate.mimeType, filename: candidate.filename, size: candidate.size }, ex.settings);
  if (pre.verdict === 'skip') {
    countSkip(m, pre.reason as SkipReason);
    ex.log.info('attachment.skipped', { ...fields, reason: pre.reason });
    return () => 'skipped';
  }
  if (!pre.fetchBytes) {
    // 0 bytes or over maxSizeBytes: quarantined on Gmail's size, without a download or a file.
    const reason = pre.reason as QuarantineReason;
    countQuarantine(m, reason);
    ex.log.warn('attachment.quarantined', { ...fields, reason, detail: pre.detail, stored: false });
    return () => {
      record(ex, plan, candidate, key, { state: 'quarantined', reason: `${reason}: ${pre.detail}`, sha: '', file: null, mimeType: pre.mimeType, size: candidate.size });
      return 'quarantined';
    };
  }
  let content: Uint8Array;
  if (candidate.attachmentId) {
    const reply = bytes.get(key);
    if (!reply || !reply.ok) {
      m.errorsCount += 1;
      ex.log.error('attachment.download_failed', { ...fields, reason: reply && !reply.ok ? reply.error.message : 'not downloaded' });
      return () => 'error';
    }
    content = reply.value;
  } else content = decodeInlineData(candidate);
  m.attachmentsDownloaded += 1;
  return decideContent(ex, plan, candidate, key, fields, content, senderNotAuthenticated);
}

/** An attachment met before: a row of this run's dead execution (counted as done then), or a known key. */
function decideKnown(ex: Execution, key: string, fields: AttachmentFields): SettleAttachment | null {
  const m = ex.current;
  const own = ex.ownRows.get(key);
  if (own) {
    ex.ownRows.delete(key);
    // Recorded by this run's execution that died before its checkpoint: counted as it was done.
    if (String(own.sha256 ?? '')) m.attachmentsDownloaded += 1;
    ex.log.info('attachment.recovered', { ...fields, state: String(own.state) });
    if (String(own.state) === 'quarantined') {
      countQuarantine(m, String(own.reason ?? '').split(':')[0] as QuarantineReason);
      return () => 'quarantined';
    }
    m.receiptsCreated += 1;
    return () => 'imported';
  }
  if (ex.index.check(key) !== 'new') {
    m.duplicatesSkipped += 1;
    ex.log.info('attachment.duplicate', { ...fields, reason: 'duplicate_key' });
    return () => 'imported';
  }
  return null;
}

/** The bytes are in hand: dedupe by sha256, classify them, and plan the file they become. */
function decideContent(
  ex: Execution,
  plan: MessagePlan,
  candidate: AttachmentCandidate,
  key: string,
  fields: AttachmentFields,
  content: Uint8Array,
  senderNotAuthenticated: string | null,
): SettleAttachment {
  const m = ex.current;
  const sha = sha256Hex(content);
  const sameBytes = decideSameBytes(ex, key, sha, fields);
  if (sameBytes) return sameBytes;
  const checked = classifyAttachment({ declaredMimeType: candidate.mimeType, filename: candidate.filename, size: content.length, bytes: content }, ex.settings);
  if (checked.verdict === 'skip') {
    countSkip(m, checked.reason as SkipReason);
    return () => 'skipped';
  }
  let state: ReceiptState = 'ingested';
  let reason: QuarantineReason | null = null;
  let detail = '';
  if (senderNotAuthenticated !== null) {
    state = 'quarantined';
    reason = 'sender_not_authenticated';
    detail = senderNotAuthenticated;
  } else if (checked.verdict === 'quarantine') {
    state = 'quarantined';
    reason = checked.reason as QuarantineReason;
    detail = checked.detail;
  }
  const walk = plan.walk as WalkResult;
  const day = ex.deps.dayOf(walk.message.internalDateMs ?? ex.deps.clock.now());
  try {
    const upload = planFile(ex, state, day, candidate, content, checked, sha);
    return () => settleStored(ex, plan, candidate, key, fields, upload, { state, reason, detail, day, sha, mimeType: checked.mimeType, size: content.length });
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    m.errorsCount += 1;
    ex.log.error('attachment.store_failed', { ...fields, reason: errorMessage(error) });
    return () => 'error';
  }
}

/** Bytes already recorded (a duplicate), being stored for an earlier attachment, or whose store failed. */
function decideSameBytes(ex: Execution, key: string, sha: string, fields: AttachmentFields): SettleAttachment | null {
  const m = ex.current;
  if (ex.index.check(key, sha) === 'duplicate_sha256') {
    m.duplicatesSkipped += 1;
    ex.log.info('attachment.duplicate', { ...fields, reason: 'duplicate_sha256', sha256: sha });
    return () => 'imported';
  }
  const original = ex.pendingBySha.get(sha);
  if (original) {
    // The same bytes are being stored for an earlier attachment of this chunk: a duplicate once that
    // file is stored; if it is not, this message waits for the next run with it.
    return () => {
      if (original.result?.ok) {
        m.duplicatesSkipped += 1;
        ex.log.info('attachment.duplicate', { ...fields, reason: 'duplicate_sha256', sha256: sha });
        return 'imported';
      }
      ex.log.warn('attachment.deferred', { ...fields, reason: 'the same bytes could not be stored for an earlier attachment', sha256: sha });
      return 'deferred';
    };
  }
  if (ex.failedShas.has(sha)) {
    // Storing these bytes failed earlier in this execution: they are stored under that earlier
    // message when it is tried again (oldest first), not under this one.
    ex.log.warn('attachment.deferred', { ...fields, reason: 'the same bytes could not be stored for an earlier attachment', sha256: sha });
    return () => 'deferred';
  }
  return null;
}
