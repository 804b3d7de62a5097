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
  STATE_FOLDER,
  gmailMessageUrl,
  quarantineNote,
  sanitizeFileName,
  type AttachmentCandidate,
  type Classification,
  type QuarantineReason,
  type ReceiptState,
  type SkipReason,
  type WalkResult,
} from '../../domain/collect';
import { utf8Encode } from '../../domain/encoding';
import { errorMessage, isExecutionOver } from '../../domain/errors';
import { QUARANTINE_FETCH_MAX_BYTES } from './deps';
import {
  duplicateNoteKey,
  recovering,
  runDay,
  runLocale,
  shortDecision,
  storedFileOf,
  takenNames,
  type Execution,
  type MessageDecision,
  type MessagePlan,
  type PendingUpload,
  type SettleAttachment,
  type StoredRef,
} from './execution';
import { mayPass, type Download } from './mail';
import { settleStored, type AttachmentFields, type StoredDecision } from './settle';
import { noteStored, planFile, storeFiles } from './store';

/** Message-level checks and counts, and the decision for each attachment (settled after the store). */
export function decideMessage(ex: Execution, plan: MessagePlan, bytes: Map<string, Download>, weight: number): MessageDecision {
  const deciding: NonNullable<Execution['deciding']> = (ex.deciding = { uploads: [], failedForNow: null });
  try {
    return { ...decideParts(ex, plan, bytes, weight), ...deciding };
  } finally {
    ex.deciding = null;
  }
}

function decideParts(
  ex: Execution,
  plan: MessagePlan,
  bytes: Map<string, Download>,
  weight: number,
): Pick<MessageDecision, 'plan' | 'weight' | 'attachments'> {
  const m = ex.current;
  const { log } = ex;
  const decision: Pick<MessageDecision, 'plan' | 'weight' | 'attachments'> = { plan, weight, attachments: null };
  m.emailsScanned += 1;
  if (!plan.walk) {
    if (plan.fetchMayPass && ex.deciding) ex.deciding.failedForNow = 'message_read';
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
  if (senderQuarantine)
    log.warn('message.sender_not_authenticated', { messageId: plan.id, sender: from.address, reason: senderQuarantine.detail });
  const senderNotAuthenticated: ForcedQuarantine | null = senderQuarantine
    ? { reason: 'sender_not_authenticated', detail: senderQuarantine.detail }
    : null;
  decision.attachments = walk.candidates.map((candidate) =>
    decideAttachment(
      ex,
      plan,
      candidate,
      bytes,
      candidate.unreadable ? { reason: 'unreadable_mime', detail: candidate.unreadable } : senderNotAuthenticated,
    ),
  );
  // What could not be read is never dropped silently: a note in quarantine says so, and the message is
  // labelled like any other (so it is not scanned again and again).
  if (walk.problems.length) decision.attachments.push(decideUnreadable(ex, plan, walk.problems));
  return decision;
}

/** The note of a message whose MIME tree has parts Postroom cannot read, keyed "<message id>:mime". */
function decideUnreadable(ex: Execution, plan: MessagePlan, problems: readonly string[]): SettleAttachment {
  const key = attachmentKey(plan.id, UNREADABLE_PART);
  const fields: AttachmentFields = { messageId: plan.id, partId: UNREADABLE_PART, filename: '' };
  const known = decideKnown(ex, key, fields);
  if (known) return known;
  return decideNote(ex, plan, { filename: '' }, key, fields, {
    reason: 'unreadable_mime',
    detail: problems.join('; '),
    mimeType: '',
    size: 0,
    advice: 'unreadable',
  });
}

/** The part id of the note for a message's unreadable parts (Gmail's part ids are digits and dots). */
export const UNREADABLE_PART = 'mime';

function decideAttachment(
  ex: Execution,
  plan: MessagePlan,
  candidate: AttachmentCandidate,
  bytes: Map<string, Download>,
  forced: ForcedQuarantine | null,
): SettleAttachment {
  const m = ex.current;
  const key = attachmentKey(plan.id, candidate.partId);
  const fields: AttachmentFields = { messageId: plan.id, partId: candidate.partId, filename: candidate.filename };
  m.attachmentsSeen += 1;
  const known = decideKnown(ex, key, fields);
  if (known) return known;
  const stored = storedFileOf(ex, key);
  if (stored) return decideStoredBefore(ex, plan, candidate, key, fields, stored);
  if (ex.stored[duplicateNoteKey(key)]?.duplicate) {
    // Found a duplicate of a recorded receipt by an execution of this run that died before its commit.
    m.duplicatesSkipped += 1;
    ex.log.info('attachment.duplicate', { ...fields, reason: 'duplicate_sha256' });
    return () => 'imported';
  }
  const pre = classifyAttachment({ declaredMimeType: candidate.mimeType, filename: candidate.filename, size: candidate.size }, ex.settings);
  if (pre.verdict === 'skip') {
    countSkip(m, pre.reason as SkipReason);
    ex.log.info('attachment.skipped', { ...fields, reason: pre.reason });
    return () => 'skipped';
  }
  // Over maxSizeBytes but fetchable, or empty: stored in quarantine like any piece that does not
  // conform (its bytes say so again below). Beyond what Postroom fetches: a note in its place.
  if (!worthFetching(pre, candidate.size) && pre.reason === 'too_large') {
    const detail = `${pre.detail}; not fetched: over ${QUARANTINE_FETCH_MAX_BYTES / 1024 / 1024} MiB`;
    return decideNote(ex, plan, candidate, key, fields, {
      reason: 'too_large',
      detail,
      mimeType: pre.mimeType,
      size: candidate.size,
      advice: 'tooLarge',
    });
  }
  let content: Uint8Array;
  if (pre.reason === 'empty_file') content = new Uint8Array(0);
  else if (candidate.attachmentId) {
    const reply = bytes.get(key);
    if (!reply || !reply.ok) {
      if (ex.deciding && (!reply || mayPass(reply.error))) ex.deciding.failedForNow ??= 'attachment_read';
      m.errorsCount += 1;
      ex.log.error('attachment.download_failed', { ...fields, reason: reply && !reply.ok ? reply.error.message : 'not downloaded' });
      return () => 'error';
    }
    content = reply.value;
  } else content = ex.deps.codecs.base64Decode(candidate.inlineData ?? '');
  if (content.length) m.attachmentsDownloaded += 1;
  return decideContent(ex, plan, candidate, key, fields, content, forced);
}

/**
 * An attachment whose file an execution of this run stored, then died before its commit: settled from
 * what that execution decided (kept with the stored file), without fetching, decoding or hashing its
 * bytes again, so a short execution spends its calls on the rows. Its name stays taken.
 */
function decideStoredBefore(
  ex: Execution,
  plan: MessagePlan,
  candidate: AttachmentCandidate,
  key: string,
  fields: AttachmentFields,
  stored: StoredRef & { decided: StoredDecision },
): SettleAttachment {
  const { decided } = stored;
  const folderKey = `${STATE_FOLDER[decided.state]}/${decided.day}`;
  takenNames(ex, folderKey).add(stored.name);
  if (decided.size) ex.current.attachmentsDownloaded += 1;
  ex.log.info('file.reused', { ...fields, filename: stored.name, path: `${folderKey}/${stored.name}` });
  const file = { id: stored.id, name: stored.name, url: stored.url, size: decided.size, mimeType: decided.mimeType };
  const upload: PendingUpload = {
    folderId: '',
    folderKey,
    base: stored.name,
    name: stored.name,
    content: new Uint8Array(0),
    mimeType: decided.mimeType,
    sha: decided.sha,
    result: { ok: true, file },
    ref: '',
  };
  // A later attachment of the chunk with the same bytes is its duplicate, as if it were stored now.
  if (decided.sha) ex.pendingBySha.set(decided.sha, upload);
  return () => settleStored(ex, plan, candidate, key, fields, upload, decided);
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
  forced: ForcedQuarantine | null,
): SettleAttachment {
  const m = ex.current;
  const sha = content.length ? ex.deps.codecs.sha256Hex(content) : '';
  const sameBytes = sha ? decideSameBytes(ex, key, sha, fields) : null;
  if (sameBytes) return sameBytes;
  const checked = classifyAttachment(
    { declaredMimeType: candidate.mimeType, filename: candidate.filename, size: content.length, bytes: content },
    ex.settings,
  );
  if (checked.verdict === 'skip') {
    countSkip(m, checked.reason as SkipReason);
    return () => 'skipped';
  }
  let state: ReceiptState = 'ingested';
  let reason: QuarantineReason | null = null;
  let detail = '';
  if (forced !== null) {
    state = 'quarantined';
    reason = forced.reason;
    detail = forced.detail;
  } else if (checked.verdict === 'quarantine') {
    state = 'quarantined';
    reason = checked.reason as QuarantineReason;
    detail = checked.detail;
  }
  const walk = plan.walk as WalkResult;
  const day = runDay(ex, walk.message.internalDateMs ?? ex.deps.clock.now());
  try {
    const decided: StoredDecision = { state, reason, detail, day, sha, mimeType: checked.mimeType, size: content.length };
    const upload = planFile(ex, state, day, candidate.filename, content, checked, sha, { key, decided: shortDecision(decided) });
    // While recovering, stored (and noted) now, before the next attachment's bytes are hashed: a short
    // execution gets each file to a durable record instead of losing a message's worth every time.
    if (recovering(ex)) storeFiles(ex, true);
    return () => settleStored(ex, plan, candidate, key, fields, upload, decided);
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    // Its folder could not be found or made (Drive did not answer): worth another execution.
    if (ex.deciding) ex.deciding.failedForNow ??= 'folder';
    m.errorsCount += 1;
    ex.log.error('attachment.store_failed', { ...fields, reason: errorMessage(error) });
    return () => 'error';
  }
}

/** A reason that quarantines every piece it applies to, whatever its bytes (forged sender, unreadable MIME). */
export interface ForcedQuarantine {
  reason: QuarantineReason;
  detail: string;
}

/** Whether an attachment's bytes are fetched: to check them, or to keep an oversize piece in quarantine. */
export function worthFetching(pre: Classification, size: number): boolean {
  return pre.fetchBytes || (pre.reason === 'too_large' && size <= QUARANTINE_FETCH_MAX_BYTES);
}

export interface NoteFacts {
  reason: QuarantineReason;
  detail: string;
  mimeType: string;
  size: number;
  advice: 'tooLarge' | 'unreadable';
}

/**
 * A piece that cannot be stored itself (too large to fetch, or a message Postroom cannot read): a small
 * .txt note in quarantine/ takes its place, naming the message and the reason, with a Receipts row.
 */
export function decideNote(
  ex: Execution,
  plan: MessagePlan,
  candidate: Pick<AttachmentCandidate, 'filename'>,
  key: string,
  fields: AttachmentFields,
  facts: NoteFacts,
): SettleAttachment {
  const message = (plan.walk as WalkResult).message;
  const text = quarantineNote(runLocale(ex), {
    subject: message.subject,
    sender: message.from.address,
    received: message.internalDateMs === null ? '' : new Date(message.internalDateMs).toISOString(),
    filename: candidate.filename,
    type: facts.mimeType,
    size: facts.size,
    reason: facts.reason,
    detail: facts.detail,
    gmailUrl: gmailMessageUrl(plan.id),
    advice: facts.advice,
    limitMiB: QUARANTINE_FETCH_MAX_BYTES / 1024 / 1024,
  });
  const day = runDay(ex, message.internalDateMs ?? ex.deps.clock.now());
  const name = `${sanitizeFileName(candidate.filename, facts.advice === 'unreadable' ? 'message' : 'attachment')}.txt`;
  try {
    const upload = planFile(ex, 'quarantined', day, name, utf8Encode(text), { mimeType: 'text/plain', detected: null }, '');
    return () =>
      settleStored(ex, plan, candidate as AttachmentCandidate, key, fields, upload, {
        state: 'quarantined',
        reason: facts.reason,
        detail: facts.detail,
        day,
        sha: '',
        mimeType: facts.mimeType,
        size: facts.size,
      });
  } catch (error) {
    if (isExecutionOver(error)) throw error;
    if (ex.deciding) ex.deciding.failedForNow ??= 'folder';
    ex.current.errorsCount += 1;
    ex.log.error('attachment.store_failed', { ...fields, reason: errorMessage(error) });
    return () => 'error';
  }
}

/** Bytes already recorded (a duplicate), being stored for an earlier attachment, or whose store failed. */
function decideSameBytes(ex: Execution, key: string, sha: string, fields: AttachmentFields): SettleAttachment | null {
  const m = ex.current;
  if (ex.index.check(key, sha) === 'duplicate_sha256') {
    if (recovering(ex) && !ex.rows.length) {
      // Noted at once when the receipt it duplicates is durable (no row of this execution awaits its
      // commit, so every sha256 indexed is in the ledger): the next execution needs not its bytes.
      ex.stored[duplicateNoteKey(key)] = { id: '', url: '', name: '', key, duplicate: true };
      noteStored(ex);
    }
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
      ex.log.warn('attachment.deferred', {
        ...fields,
        reason: 'the same bytes could not be stored for an earlier attachment',
        sha256: sha,
      });
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
