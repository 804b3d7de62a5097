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
/**
 * A request with no known outcome (the execution died before or during its call) is assumed finished
 * (executed or not) this long after it started.
 */
export const IN_DOUBT_SETTLE_MS = 120_000;
/**
 * A request whose call ENDED without a clear answer (Gmail answered 5xx, or the fetchAll returned or
 * threw) cannot be in flight from the script's side any more: if Gmail accepted it, SENT lists it this
 * long after the call ended. Written on the row as its next_attempt_at (so a later execution knows).
 */
export const ENDED_SETTLE_MS = 30_000;
/**
 * Rows in doubt are looked for in SENT when the pacer must wait at least this long anyway (waiting for
 * the minute's window, not for the next second's slot), or when nothing else is due: the look never
 * delays a burst. A row settled LOOK_OVERDUE_MS ago is checked at the next step all the same.
 */
export const LOOK_IDLE_MS = 1_500;
export const LOOK_OVERDUE_MS = 30_000;
/** A look that could not finish (a read failed after its retries) is tried again this much later. */
export const LOOK_RETRY_MS = 30_000;
/**
 * A wait for the pacer reads the next rows' files ahead, this many per loadAll, as far as this many
 * bytes from the next row to send (well under the adapter's 40 MB cache, so none is dropped unused).
 */
export const PREFETCH_BATCH = 20;
export const PREFETCH_BYTES = 12_000_000;
/** A row whose attachment read failed (not a send) is due again this much later; see burst.ts readFailed. */
export const READ_AGAIN_MS = 5_000;
export const READ_FAILURES_FREE = 2;
/** Verification looks this much further back than the oldest attempt (clock skew with Gmail). */
export const VERIFY_MARGIN_MS = 10 * 60_000;
/** Planning examines the tab's rows this many at a time, each piece written and saved before the next. */
export const PLAN_PIECE_ROWS = 2_000;
/**
 * One execution plans for at most PLAN_BUDGET_MS and at most PLAN_ROWS_PER_EXECUTION rows; the rest in
 * the next (a 100,000-row plan takes several executions, each keeping what it planned).
 */
export const PLAN_BUDGET_MS = 150_000;
export const PLAN_ROWS_PER_EXECUTION = 50_000;
/** The check stops at a message the sheet knows was accepted this long before the oldest attempt. */
export const KNOWN_ANCHOR_MARGIN_MS = 60_000;
/** Time spent checking attachments while planning; the rest are checked before each send. */
export const PLAN_ATTACHMENT_BUDGET_MS = 60_000;
/** The time-driven handler that continues a send (src/server/wiring/send.ts). */
export const SEND_CONTINUATION_HANDLER = 'runSendContinuation';
/** A safety trigger set at the start of every chunk: if the execution dies, this one continues. */
export const SAFETY_CONTINUATION_MS = 7 * 60_000;
/**
 * Safety triggers armed without removing the earlier ones, at most (then every trigger of the handler
 * is removed first): well under the 20 triggers per user, which other jobs' triggers share.
 */
export const ARMED_TRIGGERS_LIMIT = 8;
/**
 * The handler of the hourly safety net of a send in an add-on (where a trigger may not recur more
 * often): a handler of its own, so that a chunk's end, which replaces every trigger of the
 * continuation handler with its one-off, leaves it in place.
 */
export const SEND_SAFETY_NET_HANDLER = 'runSendSafetyNet';
/** The recurring safety trigger's period (everyMinutes accepts 1, 5, 10, 15 or 30). */
export const REPEAT_MINUTES = 10;
/** A group whose intent could not be written: the chunk ends and the job goes on after this. */
export const INTENT_RETRY_MS = 30_000;
/** Pause when Gmail reports its daily sending limit without saying until when. */
export const DAILY_LIMIT_FALLBACK_MS = 60 * 60_000;
/** A group of rows marked `sending` together covers at most this much time of sending. */
export const GROUP_WINDOW_MS = 60_000;
/** A burst waits at most this long for room for all its messages rather than go out in part. */
export const FULL_BURST_WAIT_MS = 1_000;
/** Near the end of the list (a group's worth of rows queued or fewer), a group covers this much. */
export const END_GROUP_WINDOW_MS = 15_000;
/** And at most this many rows (a minute at the Gmail ceiling: 15,000 units / 100 per send). */
export const MAX_GROUP_ROWS = 150;
/** With this many rows queued or fewer, a group may start this long before the chunk's deadline. */
export const TAIL_ROWS = 10;
export const TAIL_RESERVE_MS = 15_000;
export const LOCK_WAIT_MS = 500;
/** A start with the filter of a plan made this recently starts that plan instead of planning again. */
export const PLAN_REUSE_MS = 15 * 60_000;
export const SENT_PAGE_SIZE = 100;
