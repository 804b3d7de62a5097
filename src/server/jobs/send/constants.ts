// The Send job's timings and sizes, in one place (each explained where it is declared).

/** One chunk's time budget: 4.5 of the 6 minutes of an execution. */
export const SEND_CHUNK_BUDGET_MS = 270_000;
/**
 * Time a batch may still need after the budget check (preparing + sending + writing): 45 s of a
 * trigger's or the sidebar's 4.5-minute budget, half of a shorter one (a card action's 20 s).
 */
const BATCH_RESERVE_MS = 45_000;
export function batchReserve(budgetMs: number): number {
  return Math.min(BATCH_RESERVE_MS, Math.floor(budgetMs / 2));
}
/** A request with no answer is assumed finished (executed or not) this long after it started. */
export const IN_DOUBT_SETTLE_MS = 120_000;
/** Verification looks this much further back than the oldest attempt (clock skew with Gmail). */
export const VERIFY_MARGIN_MS = 10 * 60_000;
/** Time spent checking attachments while planning; the rest are checked before each send. */
export const PLAN_ATTACHMENT_BUDGET_MS = 60_000;
/** The time-driven handler that continues a send (src/server/wiring/send.ts). */
export const SEND_CONTINUATION_HANDLER = 'runSendContinuation';
/** A safety trigger set at the start of every chunk: if the execution dies, this one continues. */
export const SAFETY_CONTINUATION_MS = 7 * 60_000;
/** Pause when Gmail reports its daily sending limit without saying until when. */
export const DAILY_LIMIT_FALLBACK_MS = 60 * 60_000;
/** A group of rows marked `sending` together covers at most this much time of sending. */
export const GROUP_WINDOW_MS = 60_000;
/** And at most this many rows (a minute at the Gmail ceiling: 15,000 units / 100 per send). */
export const MAX_GROUP_ROWS = 150;
export const LOCK_WAIT_MS = 500;
export const SENT_PAGE_SIZE = 100;
