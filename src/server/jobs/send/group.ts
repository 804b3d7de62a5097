// Group intent: before any request of a group leaves, every row of the group is marked `sending`
// (attempts + 1, its Message-ID, attempt_at = the group's send-by time) in ONE write, flushed by the
// caller. Rows of a group never attempted go back as they were (`abandonGroup`).

import type { SendPacer } from '../../domain/send/pacing';
import { domainOf, makeMessageId } from '../../domain/send/mime';
import { formatSheetTime, type SendRow } from '../../domain/send/send-list';
import type { SendContext } from './context';
import { MAX_GROUP_ROWS } from './constants';
import type { RowChange } from './table';

/** A message built for a row of the next burst. */
export interface Prepared {
  row: SendRow;
  raw: string;
}

/**
 * Rows marked `sending` in one write, sent in bursts until `sendBy`. `pending`: not attempted yet, in
 * order; `prepared`: the next burst's messages, built (its rows are the first of `pending`).
 */
export interface SendGroup {
  pending: Array<{ row: SendRow; before: RowChange }>;
  prepared: Prepared[];
  /** No request of the group starts after this instant (written as the rows' attempt_at). */
  sendBy: number;
  /** The group's intent is durable (the sheet written and committed): its requests may leave. */
  durable?: boolean;
}

/** The group being sent, if any (shared by the steps of the paced loop). */
export interface GroupHolder {
  current: SendGroup | null;
}

/** The Message-ID of a row's message: the same for every attempt, known before the message is built. */
export function messageIdOf(s: SendContext, row: SendRow): string {
  return makeMessageId([s.job.runId, row.sendId], domainOf(s.deps.sender.address));
}

/**
 * Marks the rows `sending` (in memory; the caller writes and flushes): attempts + 1, the Message-ID,
 * and attempt_at = `sendBy`, the latest instant any of their requests may start, so that a row left
 * `sending` by a killed execution is checked only once its request, sent at any time up to sendBy,
 * cannot be in flight any more (attempt_at + IN_DOUBT_SETTLE_MS).
 */
export function markGroup(s: SendContext, rows: readonly SendRow[], sendBy: number): SendGroup {
  const attemptAt = formatSheetTime(sendBy);
  const pending = rows.map((row) => {
    const before: RowChange = {
      status: 'queued',
      attempts: row.attempts,
      attemptAt: row.attemptAt,
      rfc822MessageId: row.rfc822MessageId,
      error: row.error,
      nextAttemptAt: row.nextAttemptAt,
    };
    s.table.set(row, {
      status: 'sending',
      attempts: row.attempts + 1,
      attemptAt,
      rfc822MessageId: messageIdOf(s, row),
      error: '',
      nextAttemptAt: '',
    });
    return { row, before };
  });
  return { pending, prepared: [], sendBy };
}

/** Puts the rows of the group that were never attempted back as they were before the group's mark. */
export function abandonGroup(s: SendContext, holder: GroupHolder): void {
  const group = holder.current;
  holder.current = null;
  if (!group) return;
  for (const { row, before } of group.pending) s.table.set(row, before);
}

/** The size of the next group: what the pacer allows until `sendBy`, the daily cap, the rows due. */
export function groupSize(pacer: SendPacer, now: number, sendBy: number, capRemaining: number, due: number): number {
  return Math.min(MAX_GROUP_ROWS, capRemaining, due, pacer.capacity(now, sendBy - now, MAX_GROUP_ROWS));
}
