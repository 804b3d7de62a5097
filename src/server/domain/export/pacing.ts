// Pacing reads on the per-user Gmail quota: 15,000 units per minute (a moving 60-second window) and
// 250 units per second as a moving average (Google allows short bursts: the pacer averages over 5 s);
// messages.get costs 5, so at most 3,000 messages a minute. The
// pacer keeps the units spent in the last minute (carried across executions in the run state) and
// says how long to wait before spending more, with a small margin for the list and profile calls.
// https://developers.google.com/workspace/gmail/api/reference/quota

export const UNITS_PER_MINUTE = 15_000;
export const UNITS_PER_SECOND = 250;
/** What the pacer allows itself: 2 % under the minute limit (retries inside the gateway cost units too). */
export const PACED_UNITS_PER_MINUTE = 14_700;
export const UNIT_COST = { list: 5, get: 5, attachment: 5, profile: 1 } as const;
/** The per-second limit is a moving average: kept over this window (250 × 5 = 1,250 units per 5 s). */
export const AVERAGE_WINDOW_MS = 5000;

export type UnitWindow = Array<[number, number]>;

function prune(window: UnitWindow, now: number): void {
  while (window.length && window[0][0] <= now - 60_000) window.shift();
}

/** Milliseconds to wait before spending `units` at `now` (0 = now). */
export function waitBefore(
  window: UnitWindow,
  now: number,
  units: number,
  perMinute = PACED_UNITS_PER_MINUTE,
  perSecond = UNITS_PER_SECOND,
): number {
  prune(window, now);
  let wait = 0;
  // Minute window: wait until enough of the oldest spending has left it.
  let excess = window.reduce((sum, [, u]) => sum + u, 0) + units - perMinute;
  for (let i = 0; excess > 0 && i < window.length; i++) {
    excess -= window[i][1];
    if (excess <= 0) wait = Math.max(wait, window[i][0] + 60_000 - now);
  }
  // Per-second average: the same over the last AVERAGE_WINDOW_MS.
  const recent = window.filter(([at]) => at > now - AVERAGE_WINDOW_MS);
  let averageExcess = recent.reduce((sum, [, u]) => sum + u, 0) + units - (perSecond * AVERAGE_WINDOW_MS) / 1000;
  for (let i = 0; averageExcess > 0 && i < recent.length; i++) {
    averageExcess -= recent[i][1];
    if (averageExcess <= 0) wait = Math.max(wait, recent[i][0] + AVERAGE_WINDOW_MS - now);
  }
  return Math.max(0, wait);
}

/** Records units spent at `now` (merged with an entry of the same second, to keep the window small). */
export function spend(window: UnitWindow, now: number, units: number): void {
  if (units <= 0) return;
  prune(window, now);
  const last = window[window.length - 1];
  if (last && last[0] === now) last[1] += units;
  else window.push([now, units]);
}
