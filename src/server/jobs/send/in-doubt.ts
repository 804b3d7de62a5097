// The exactly-once check of rows IN DOUBT (marked `sending`, no answer known): the SENT label is listed
// newest first (messages.list labelIds=SENT: the label listing, not the search index, which may lag)
// and the X-Postroom-Send-Id / Message-ID of every message not already known is read, down to the
// oldest attempt minus VERIFY_MARGIN_MS. Found → sent with Gmail's ids; proven absent (once the attempt
// has settled: ENDED_SETTLE_MS after a call that ended, IN_DOUBT_SETTLE_MS after one with no known
// outcome) → queued again.

import type { SendRow } from '../../domain/send/send-list';
import { formatSheetTime } from '../../domain/send/send-list';
import { markFailed, markSent, type SendContext } from './context';
import { ENDED_SETTLE_MS, IN_DOUBT_SETTLE_MS, KNOWN_ANCHOR_MARGIN_MS, SENT_PAGE_SIZE, VERIFY_MARGIN_MS } from './constants';
import { timeOf } from './rows';

/**
 * Messages of the tab already recorded as sent (no need to read them again): Gmail id → sent_at, the
 * script's time once Gmail answered (or, for one a check found, Gmail's internalDate).
 */
function knownSentIds(s: SendContext): Map<string, number> {
  const known = new Map<string, number>();
  for (const row of s.table.rows) {
    if (row.status === 'sent' && row.messageId) known.set(row.messageId, timeOf(row.sentAt) ?? Number.MAX_SAFE_INTEGER);
  }
  return known;
}

/**
 * Looks for `rows` in SENT. Returns what was found, and whether the listing was complete (every page
 * and message it needed could be read).
 */
function searchSent(
  s: SendContext,
  rows: SendRow[],
): { found: Map<SendRow, { id: string; threadId: string; at: number }>; complete: boolean } {
  const { mail } = s.deps;
  const wantedBySendId = new Map(rows.map((row) => [row.sendId, row]));
  const wantedByMessageId = new Map(rows.filter((row) => row.rfc822MessageId).map((row) => [row.rfc822MessageId, row]));
  const known = knownSentIds(s);
  const skipIds = new Set(known.keys());
  const oldestAttempt = Math.min(...rows.map((row) => timeOf(row.attemptAt) ?? 0));
  // Gmail's internalDate may be off the script's clock: facts read from Gmail are compared with the
  // full margin. A message the sheet recorded as sent before the oldest attempt started (minus a
  // minute for the clocks of Apps Script and Gmail, the one assumption here) was accepted before any
  // of these requests, so SENT (newest first) lists it after them: the listing stops there, pages
  // earlier than the full margin would.
  const threshold = oldestAttempt - VERIFY_MARGIN_MS;
  const knownThreshold = oldestAttempt - KNOWN_ANCHOR_MARGIN_MS;
  const found = new Map<SendRow, { id: string; threadId: string; at: number }>();
  let pageToken: string | null = null;
  let complete = true;
  for (;;) {
    // Messages the sheet already records are listed but not read again (skipIds).
    const answer = mail.listSent({ pageToken, max: SENT_PAGE_SIZE, skipIds });
    if (!answer.ok) {
      complete = false;
      break;
    }
    const page = answer.value;
    let reachedOld = false;
    for (const id of page.ids ?? []) {
      const at = known.get(id);
      if (at !== undefined && at < knownThreshold) reachedOld = true;
    }
    for (const fact of page.messages) {
      if (fact.internalDate < threshold) reachedOld = true;
      const row = (fact.sendId && wantedBySendId.get(fact.sendId)) || (fact.messageId && wantedByMessageId.get(fact.messageId)) || null;
      if (row && !found.has(row)) found.set(row, { id: fact.id, threadId: fact.threadId, at: fact.internalDate });
    }
    if (found.size === rows.length || reachedOld || !page.nextPageToken) break;
    pageToken = page.nextPageToken;
  }
  return { found, complete };
}

/**
 * Checks the rows in doubt against the SENT label: a row whose send id (or Message-ID) is found is
 * sent. When `conclusive` (for all rows, or for a row: its attempt has settled, so no request can
 * still be in flight), a row not found is proven not sent and goes back to the queue; otherwise it
 * stays in doubt. Returns false when the check could not finish (a read failed): nothing is concluded then.
 */
export function verifyInDoubt(s: SendContext, rows: SendRow[], conclusive: boolean | ((row: SendRow) => boolean)): boolean {
  if (!rows.length) return true;
  const { found, complete } = searchSent(s, rows);
  const now = s.deps.clock.now();
  for (const row of rows) {
    const hit = found.get(row);
    if (hit) {
      markSent(s, row, hit);
    } else if (complete && (typeof conclusive === 'function' ? conclusive(row) : conclusive)) {
      // Proven not sent: the attempt never reached Gmail (or Gmail refused it without a trace). An
      // attempt with no answer recorded (the execution died before or during its request) is not one
      // of the row's tries: only answers Gmail gave count against maxRetries.
      const attempts = row.error ? row.attempts : Math.max(0, row.attempts - 1);
      if (attempts > s.settings.maxRetries) markFailed(s, row, row.error || 'No answer from Gmail');
      else
        s.table.set(row, { status: 'queued', attempts, nextAttemptAt: formatSheetTime(Math.max(now, timeOf(row.nextAttemptAt) ?? now)) });
    }
  }
  return complete;
}

/**
 * When a row in doubt can be concluded. Its attempt ENDED when the row carries the error of that
 * attempt (written only once the call returned or threw: 5xx, network; the group's mark clears it):
 * then at its next_attempt_at (the answer + ENDED_SETTLE_MS, at least the retry delay). Otherwise (no
 * outcome known: the execution died before or during its call) IN_DOUBT_SETTLE_MS after attempt_at,
 * the latest instant its request may have started.
 */
export function settlesAt(row: SendRow): number {
  const attemptAt = timeOf(row.attemptAt) ?? 0;
  const noOutcome = attemptAt + IN_DOUBT_SETTLE_MS;
  const ended = row.error ? timeOf(row.nextAttemptAt) : null;
  // Never sooner than ENDED_SETTLE_MS after the attempt started (a row written by an earlier version,
  // whose next_attempt_at was only the retry delay, keeps that much).
  return ended === null ? noOutcome : Math.min(Math.max(ended, attemptAt + ENDED_SETTLE_MS), noOutcome);
}

/** Rows whose request can no longer be in flight at `now`. */
export function settledRows(rows: readonly SendRow[], now: number): SendRow[] {
  return rows.filter((row) => settlesAt(row) <= now);
}

/** Time until the first of `rows` settles. */
export function inDoubtWait(rows: SendRow[], now: number): number {
  return Math.max(0, Math.min(...rows.map(settlesAt)) - now);
}
