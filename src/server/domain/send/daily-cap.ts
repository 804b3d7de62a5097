// The daily cap: Workspace accounts may send 2,000 messages in a rolling 24 h (fewer for consumer
// accounts), and the `dailyCap` setting can lower it. Counted from the `sent_at` cells of the Sends
// tab (the ledger is the truth, so the count survives executions), this says how many may still go
// now and, when none may, at what instant resuming is worth it, so the job can pause and resume by
// itself. https://support.google.com/a/answer/166852

import { parseSheetTime } from './send-list';

export const DAY_MS = 86_400_000;
/**
 * At the cap, a resume gathers the slots that free within this time of the first one (up to a group's
 * worth), resuming when the last of them frees: a slot is used at most 10 min after the window gives
 * it back, so a list paced over days loses at most that much of each day (under 1 %), while a tail of
 * a few slots is not left for the next day.
 */
export const CAP_GATHER_MS = 10 * 60_000;

/** What a resume at the cap waits for: up to `slots` free, those that free within `gatherMs` of the first. */
export interface ResumeRule {
  slots: number;
  gatherMs: number;
}

/** Resume as soon as one slot frees. */
const FIRST_SLOT: ResumeRule = { slots: 1, gatherMs: 0 };

export interface DailyCapStatus {
  cap: number;
  /** Sends with sent_at in (now − 24 h, now]. Future times (clock skew) count too. */
  sentInWindow: number;
  /** How many may still be sent now. */
  remaining: number;
  /**
   * When remaining is 0: the instant the resume rule is met (by default, when one slot frees up);
   * null otherwise.
   */
  resumeAt: number | null;
  /** When the oldest send of the window leaves it (null when the window is empty). */
  windowFreesAt: number | null;
  /** sent_at cells that could not be read as a time (not counted: fix the cell). */
  unreadable: number;
}

/**
 * Counts the sends of the last 24 h. `sentAt` holds the sent_at cells of the rows in status `sent`
 * (ISO text, Date, epoch ms, or '' which is skipped).
 */
export function dailyCapStatus(sentAt: readonly unknown[], now: number, cap: number, rule: ResumeRule = FIRST_SLOT): DailyCapStatus {
  const times: number[] = [];
  let unreadable = 0;
  for (const value of sentAt) {
    if (value === '' || value === null || value === undefined) continue;
    const t = parseSheetTime(value);
    if (t === null) unreadable++;
    else if (t > now - DAY_MS) times.push(t);
  }
  times.sort((a, b) => a - b);
  const remaining = Math.max(0, cap - times.length);
  return {
    cap,
    sentInWindow: times.length,
    remaining,
    resumeAt: remaining > 0 ? null : resumeInstant(times, cap, rule),
    windowFreesAt: times.length ? times[0] + DAY_MS : null,
    unreadable,
  };
}

/** At the cap (`times` sorted, at least `cap` of them): when the rule is met. */
function resumeInstant(times: readonly number[], cap: number, rule: ResumeRule): number {
  const first = times.length - cap;
  const last = first + Math.max(1, Math.min(rule.slots, cap)) - 1;
  const horizon = times[first] + Math.max(0, rule.gatherMs);
  let gathered = first;
  while (gathered < last && times[gathered + 1] <= horizon) gathered++;
  return times[gathered] + DAY_MS;
}

/**
 * The resume rule of a send at the cap: a group's worth of slots (or every row still to send when
 * fewer, never more than the cap), of those that free within CAP_GATHER_MS of the first. The window frees slot by slot
 * at the pace of the day before; resuming at the first free slot would spend an execution (opening and
 * reading the tab) on each few rows, where a group's worth keeps a day at the cap to as few executions
 * as a day under it.
 */
export function resumeRuleAtCap(cap: number, groupRows: number, rowsLeft: number): ResumeRule {
  return { slots: Math.max(1, Math.min(cap, groupRows, rowsLeft)), gatherMs: CAP_GATHER_MS };
}

/** The instant at which `n` more sends fit under the cap (now when they already do). */
export function whenSlotsFree(sentTimes: readonly number[], now: number, cap: number, n: number): number {
  if (n > cap) throw new RangeError(`whenSlotsFree: ${n} sends can never fit under a cap of ${cap}`);
  const inWindow = sentTimes.filter((t) => t > now - DAY_MS).sort((a, b) => a - b);
  const excess = inWindow.length + n - cap;
  if (excess <= 0) return now;
  return inWindow[excess - 1] + DAY_MS;
}
