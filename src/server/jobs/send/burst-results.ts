// One burst on the wire and its results: ONE gateway send (parallel on REST), then each typed outcome
// decides the row: success → sent; InvalidRequestError / NotFoundError → failed; QuotaError 'rate'
// (not executed) → queued with next_attempt_at, the pacer holds; TransientError that may have happened
// → stays `sending`, IN DOUBT, attempt_at = the burst's real start, its error written and its
// next_attempt_at = when it may be concluded (the call ended: ENDED_SETTLE_MS); QuotaError 'daily' → the job pauses
// until the limit resets; AuthError / PermissionError → the job stops.
// Results stay in memory until the next group's write. Rows left in doubt are looked for in SENT by the
// paced loop (when the pacer waits anyway): found → sent; not found → their pacer slot is given back.

import { SendPacer } from '../../domain/send/pacing';
import { recordRetry } from '../../domain/send/progress';
import { decideSendRetry } from '../../domain/send/retry';
import { mailErrorMessage } from '../../domain/mail-errors';
import type { MailOutcome, SentReceipt } from '../../ports/mail-gateway';
import { formatSheetTime, type SendRow } from '../../domain/send/send-list';
import { markFailed, markSent, type SendContext } from './context';
import { DAILY_LIMIT_FALLBACK_MS, ENDED_SETTLE_MS, IN_DOUBT_SETTLE_MS } from './constants';
import type { Prepared } from './group';

/** Why the job must stop sending after a burst: Gmail's daily limit (until `until`) or a stop. */
export interface BurstStop {
  until: number;
  kind: 'daily' | 'stop';
  message: string;
}

/**
 * When a row left in doubt by a call that ended at `now` may be concluded: ENDED_SETTLE_MS after the
 * end (and not before `notBefore`, its retry delay). A call that took longer than that (a timeout: the
 * client gave up, Gmail may still be working) keeps the rule of a request with no known outcome:
 * IN_DOUBT_SETTLE_MS after its start.
 */
function concludeAt(now: number, burstStart: number, notBefore: number): number {
  const slow = now - burstStart > ENDED_SETTLE_MS;
  return Math.max(notBefore, now + ENDED_SETTLE_MS, slow ? burstStart + IN_DOUBT_SETTLE_MS : 0);
}

/** Applies one Gmail answer to its row; returns a stop when the answer stops the job. */
function applyOutcome(
  s: SendContext,
  pacer: SendPacer,
  row: SendRow,
  outcome: MailOutcome<SentReceipt>,
  now: number,
  burstStart: number,
): BurstStop | null {
  const burstAt = formatSheetTime(burstStart);
  // The request started at burstAt, not when the group was marked: rows left in doubt settle from there.
  s.table.set(row, { attemptAt: burstAt });
  let decision = decideSendRetry(outcome.ok ? null : outcome.error, row.attempts, s.settings, { random: s.deps.random });
  // A stop that is not Gmail's answer (the Advanced service is off in the project) is said in the user's words.
  if (decision.action === 'stopJob' && !outcome.ok && outcome.error.status === 0)
    decision = { ...decision, message: mailErrorMessage(outcome.error, s.locale) };
  switch (decision.action) {
    case 'done': {
      const receipt = outcome.ok ? outcome.value : { id: '', threadId: '' };
      markSent(s, row, { id: receipt.id, threadId: receipt.threadId, at: now });
      return null;
    }
    case 'fail':
      // In doubt, its call ended: checked ENDED_SETTLE_MS after the answer (error + next_attempt_at say so).
      if (decision.maybeExecuted)
        s.table.set(row, { error: decision.message, nextAttemptAt: formatSheetTime(concludeAt(now, burstStart, now)) });
      else markFailed(s, row, decision.message);
      return null;
    case 'retry':
      if (decision.maybeExecuted) {
        // In doubt, its call ended: checked (and, proven absent, sent again) once ENDED_SETTLE_MS have
        // passed since the answer, and not before the row's own retry delay.
        const checkAt = concludeAt(now, burstStart, now + decision.delayMs);
        s.table.set(row, { error: decision.message, nextAttemptAt: formatSheetTime(checkAt) });
      } else {
        s.table.set(row, { status: 'queued', error: decision.message, nextAttemptAt: formatSheetTime(now + decision.delayMs) });
      }
      if (decision.rateLimited) {
        pacer.refund(burstStart, now);
        pacer.block(now + (decision.holdMs ?? decision.delayMs), now, !decision.retryAfterGiven);
      }
      s.progress = recordRetry(s.progress, { key: row.key, error: decision.message, delayMs: decision.delayMs }, now);
      return null;
    case 'pauseDaily':
      s.table.set(row, { status: 'queued', attempts: Math.max(0, row.attempts - 1), error: decision.message });
      return { until: now + (decision.retryAfterMs ?? DAILY_LIMIT_FALLBACK_MS), kind: 'daily', message: decision.message };
    case 'stopJob':
      s.table.set(row, { status: 'queued', attempts: Math.max(0, row.attempts - 1), error: decision.message });
      return { until: 0, kind: 'stop', message: decision.message };
  }
}

/**
 * Sends the burst (the pacer slot is taken by the caller) and records its results in memory. Returns
 * the stop an answer asked for (the last one), the time after the call, and the rows left in doubt
 * without an answer: the caller looks for them in SENT when the pacer waits anyway.
 */
export function sendBurst(
  s: SendContext,
  pacer: SendPacer,
  burst: readonly Prepared[],
  startedAt: number,
): { stop: BurstStop | null; now: number; doubtful: SendRow[] } {
  const { deps } = s;
  const outcomes = deps.mail.send(burst.map((item) => item.raw));
  const now = deps.clock.now();
  pacer.finishBatch(now);
  let stop: BurstStop | null = null;
  for (let i = 0; i < burst.length; i++) stop = applyOutcome(s, pacer, burst[i].row, outcomes[i], now, startedAt) ?? stop;
  // A row Gmail answered with a 5xx gives its pacer slot back at once: its request failed and is not
  // one of the minute's sends (should Gmail have counted it, it answers 429 with a Retry-After and the
  // pacer holds: the refund risks a 429, never a duplicate). Rows without an answer (a network error
  // fails the whole fetchAll, though most requests went through) are looked for in SENT at the next
  // look, which gives back the slots of those not found. All wait in doubt until they can be concluded.
  const doubtful: SendRow[] = [];
  burst.forEach((item, i) => {
    if (item.row.status !== 'sending') return;
    const outcome = outcomes[i];
    if (!outcome.ok && outcome.error.status >= 500) pacer.refund(startedAt, now);
    else doubtful.push(item.row);
  });
  return { stop, now, doubtful };
}
