// The message loop of an execution. Messages in batches of MESSAGE_BATCH (one messages.get fetchAll,
// one download pass), each batch in chunks (the whole batch, or `commitEvery` messages while
// recovering): DECIDE every attachment of the chunk (dedupe, classify, folder and unique name), STORE
// the chunk's files (in parallel, or one by one with an orphan probe when careful), then SETTLE each
// message in order from the real outcomes (rows, counts, labels). The time budget and the run's limit
// are checked per message while deciding; what was decided is always stored and settled before stopping,
// but for a message whose read or store failed for a reason that may pass: the execution stops before it
// (what deciding it and the later ones counted taken back) and the next one takes it again.

import {
  attachmentKey,
  classifyAttachment,
  classifySender,
  emptyMetrics,
  mergeMetrics,
  subtractMetrics,
  type CollectMetrics,
} from '../../domain/collect';
import { commit } from './commit';
import { decideMessage, worthFetching } from './decide';
import { DOWNLOAD_BATCH_BYTES, MESSAGE_BATCH, MESSAGE_RETRY_EXECUTIONS } from './deps';
import {
  duplicateNoteKey,
  recovering,
  storedFileOf,
  timeUp,
  type Execution,
  type MessageDecision,
  type MessagePlan,
  type StoredRef,
} from './execution';
import type { MailGateway } from '../../ports/mail-gateway';
import { fetchAttachments, fetchMessages, type Download } from './mail';
import { readReceipts } from './receipts';
import { settleMessage } from './settle';
import { leaveForNextExecution } from './run-state';
import { storeFiles } from './store';

/** 'retry': a message's read or store failed for a reason that may pass; the next execution takes it again. */
export type StopReason = 'budget' | 'limit' | 'retry' | 'end';

export function processMessages(ex: Execution, ids: string[]): StopReason {
  // Read only when there is a message to handle: an execution that only closes the run spares it.
  if (ex.cursor < ids.length && !ex.receiptsRead) {
    readReceipts(ex);
    ex.receiptsRead = true;
  }
  while (ex.cursor < ids.length) {
    if (timeUp(ex)) return 'budget';
    // While recovering (commitEvery set after a crash, halved at each), fetch no more messages than one
    // commit takes: a short execution then spends its calls, and its retries, on what it can finish.
    const size = ex.state.commitEvery !== null ? Math.min(MESSAGE_BATCH, ex.state.commitEvery) : MESSAGE_BATCH;
    const batchIds = ids.slice(ex.cursor, ex.cursor + size);
    const prefetched = ex.prefetched?.at === ex.cursor ? ex.prefetched.plans : null;
    ex.prefetched = null;
    const plans = prefetched ?? fetchMessages(ex.deps.mail, batchIds, ex.deps.pause);
    // Attachments are fetched only for the messages this run will take on (never past its limit).
    const stop = processBatch(ex, ids, plans, download(ex, plans.slice(0, withinLimit(ex, ids, plans))));
    if (stop) return stop;
  }
  return 'end';
}

/** How many of the batch's messages, from the first, fit in the run's attachment limit (as processBatch takes them). */
function withinLimit(ex: Execution, ids: string[], plans: MessagePlan[]): number {
  const limit = ex.state.request.limit;
  let handledAhead = ex.handled;
  for (let i = 0; i < plans.length; i++) {
    const weight = plans[i].walk?.candidates.length ?? 0;
    if (weight > 0 && handledAhead > 0 && handledAhead + weight > limit) return i;
    handledAhead += weight;
    if (handledAhead >= limit && ex.cursor + i + 1 < ids.length) return i + 1;
  }
  return plans.length;
}

/** The batch's messages, chunk by chunk: decide, store, settle; null when the batch is done. */
function processBatch(ex: Execution, ids: string[], plans: MessagePlan[], bytes: Map<string, Download>): Exclude<StopReason, 'end'> | null {
  const { state } = ex;
  let next = 0;
  while (next < plans.length) {
    const room = state.commitEvery !== null ? Math.max(1, state.commitEvery - ex.handledSinceCommit) : plans.length;
    const decided: MessageDecision[] = [];
    // What deciding each message counted: taken back when it is left for the next execution.
    const counted = new Map<MessageDecision, CollectMetrics>();
    let handledAhead = ex.handled;
    let stop: 'budget' | 'limit' | null = null;
    while (next < plans.length && decided.length < room) {
      if (timeUp(ex)) {
        stop = 'budget';
        break;
      }
      const plan = plans[next];
      const weight = plan.walk?.candidates.length ?? 0;
      if (weight > 0 && handledAhead > 0 && handledAhead + weight > state.request.limit) {
        stop = 'limit';
        break;
      }
      const before = mergeMetrics(emptyMetrics(), ex.current);
      const decision = decideMessage(ex, plan, bytes, weight);
      counted.set(decision, subtractMetrics(ex.current, before));
      decided.push(decision);
      handledAhead += weight;
      next += 1;
      if (handledAhead >= state.request.limit && ex.cursor + decided.length < ids.length) {
        stop = 'limit';
        break;
      }
    }
    storeFiles(ex);
    for (const [i, decision] of decided.entries()) {
      if (leftForNextExecution(ex, decision)) {
        // It and the chunk's later messages are met again (their stored files reused): counted then.
        const later = decided.slice(i);
        for (const left of later) ex.current = subtractMetrics(ex.current, counted.get(left) as CollectMetrics);
        ex.keptStored = storedFor(ex, later);
        return 'retry';
      }
      if (ex.state.retrying?.messageId === decision.plan.id) delete ex.state.retrying;
      settleMessage(ex, decision);
      ex.handled += decision.weight;
      ex.cursor += 1;
      ex.handledSinceCommit += 1;
    }
    if (state.commitEvery !== null && ex.handledSinceCommit >= state.commitEvery) commit(ex);
    if (stop) return stop;
  }
  return null;
}

/**
 * Whether a message whose read or store failed (after the gateway's and the uploads' own retries) is
 * left, unsettled, for the next execution of the run, instead of being counted an error and left to the
 * next run: for a failure that may pass, up to MESSAGE_RETRY_EXECUTIONS executions in a row.
 */
function leftForNextExecution(ex: Execution, decision: MessageDecision): boolean {
  const storeFailed = decision.uploads.some((upload) => upload.result !== null && !upload.result.ok);
  const reason = storeFailed ? 'upload' : decision.failedForNow;
  if (!reason) return false;
  const execution = leaveForNextExecution(ex.state, decision.plan.id, MESSAGE_RETRY_EXECUTIONS);
  if (!execution) return false;
  ex.log.warn('message.retried_later', { messageId: decision.plan.id, reason, execution });
  return true;
}

/** The stored-files record's entries of these messages (their files, and notes kept by attachment key). */
function storedFor(ex: Execution, decisions: readonly MessageDecision[]): Record<string, StoredRef> {
  const refs = new Set(decisions.flatMap((decision) => decision.uploads.map((upload) => upload.ref)));
  const messages = new Set(decisions.map((decision) => decision.plan.id));
  const kept: Record<string, StoredRef> = {};
  for (const [ref, stored] of Object.entries(ex.stored)) {
    const messageId = stored.key?.slice(0, stored.key.indexOf(':'));
    if (refs.has(ref) || (messageId && messages.has(messageId))) kept[ref] = stored;
  }
  return kept;
}

/** Which attachments need their bytes: new keys worth fetching, by the ids of this same get. */
function download(ex: Execution, plans: MessagePlan[]): Map<string, Download> {
  const wanted: Array<{ key: string; messageId: string; attachmentId: string; size: number }> = [];
  for (const plan of plans) {
    if (!plan.walk) continue;
    const sender = classifySender(plan.walk.message.from.address, plan.walk.message.auth, ex.settings);
    if (sender.verdict === 'skip') continue;
    for (const candidate of plan.walk.candidates) {
      const key = attachmentKey(plan.id, candidate.partId);
      // Not those met before, nor those whose file this run already stored (settled without their bytes).
      if (
        !candidate.attachmentId ||
        ex.ownRows.has(key) ||
        ex.index.check(key) !== 'new' ||
        storedFileOf(ex, key) ||
        ex.stored[duplicateNoteKey(key)]
      )
        continue;
      const pre = classifyAttachment(
        { declaredMimeType: candidate.mimeType, filename: candidate.filename, size: candidate.size },
        ex.settings,
      );
      if (!worthFetching(pre, candidate.size)) continue;
      wanted.push({ key, messageId: plan.id, attachmentId: candidate.attachmentId, size: candidate.size });
    }
  }
  // While recovering: each attachment fetched alone when its turn comes (by the Advanced service: its
  // bytes without a decode call), so a short execution gets each file to its note in few calls.
  const oneByOne = recovering(ex) ? ex.deps.mailOneByOne : undefined;
  if (oneByOne) return new FetchedWhenAsked(ex, oneByOne, wanted);
  const out = new Map<string, Download>();
  let start = 0;
  while (start < wanted.length) {
    let end = start;
    let total = 0;
    while (end < wanted.length && (end === start || total + wanted[end].size <= DOWNLOAD_BATCH_BYTES)) total += wanted[end++].size;
    const slice = wanted.slice(start, end);
    const replies = fetchAttachments(
      ex.deps.mail,
      slice.map(({ messageId, attachmentId }) => ({ messageId, attachmentId })),
      ex.deps.pause,
    );
    slice.forEach((item, i) => out.set(item.key, replies[i]));
    start = end;
  }
  return out;
}

/** Attachment bytes fetched one at a time, when asked for (and kept). */
class FetchedWhenAsked extends Map<string, Download> {
  private readonly refs: Map<string, { messageId: string; attachmentId: string }>;

  constructor(
    private readonly ex: Execution,
    private readonly mail: MailGateway,
    wanted: ReadonlyArray<{ key: string; messageId: string; attachmentId: string }>,
  ) {
    super();
    this.refs = new Map(wanted.map(({ key, messageId, attachmentId }) => [key, { messageId, attachmentId }]));
  }

  override get(key: string): Download | undefined {
    const known = super.get(key);
    const ref = this.refs.get(key);
    if (known || !ref) return known;
    const [reply] = fetchAttachments(this.mail, [ref], this.ex.deps.pause);
    this.set(key, reply);
    return reply;
  }
}
