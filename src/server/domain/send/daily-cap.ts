// The daily cap: Workspace accounts may send 2,000 messages in a rolling 24 h (fewer for consumer
// accounts), and the `dailyCap` setting can lower it. Counted from the `sent_at` cells of the Sends
// tab (the ledger is the truth, so the count survives executions), this says how many may still go
// now and, when none may, at what instant the window frees a slot, so the job can pause and resume
// by itself. https://support.google.com/a/answer/166852

import { parseSheetTime } from './send-list';

export const DAY_MS = 86_400_000;

export interface DailyCapStatus {
  cap: number;
  /** Sends with sent_at in (now − 24 h, now]. Future times (clock skew) count too. */
  sentInWindow: number;
  /** How many may still be sent now. */
  remaining: number;
  /** When remaining is 0: the instant one slot frees up; null otherwise. */
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
export function dailyCapStatus(sentAt: readonly unknown[], now: number, cap: number): DailyCapStatus {
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
    resumeAt: remaining > 0 ? null : times[times.length - cap] + DAY_MS,
    windowFreesAt: times.length ? times[0] + DAY_MS : null,
    unreadable,
  };
}

/** The instant at which `n` more sends fit under the cap (now when they already do). */
export function whenSlotsFree(sentTimes: readonly number[], now: number, cap: number, n: number): number {
  if (n > cap) throw new RangeError(`whenSlotsFree: ${n} sends can never fit under a cap of ${cap}`);
  const inWindow = sentTimes.filter((t) => t > now - DAY_MS).sort((a, b) => a - b);
  const excess = inWindow.length + n - cap;
  if (excess <= 0) return now;
  return inWindow[excess - 1] + DAY_MS;
}
