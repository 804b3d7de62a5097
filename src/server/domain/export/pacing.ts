// Pacing reads on the per-user Gmail quota: 15,000 units per minute (a moving 60-second window) and
// 250 units per second on average; messages.get costs 5, so at most 3,000 messages a minute. The
// pacer keeps the units spent in the last minute (carried across executions in the run state) and
// says how long to wait before spending more, with a small margin for the list and profile calls.
// https://developers.google.com/workspace/gmail/api/reference/quota

export const UNITS_PER_MINUTE = 15_000;
export const UNITS_PER_SECOND = 250;
/** What the pacer allows itself: 2 % under the minute limit (retries inside the gateway cost units too). */
export const PACED_UNITS_PER_MINUTE = 14_700;
export const UNIT_COST = { list: 5, get: 5, attachment: 5, profile: 1 } as const;

export type UnitWindow = Array<[number, number]>;

function prune(window: UnitWindow, now: number): void {
  while (window.length && window[0][0] <= now - 60_000) window.shift();
}

/** Milliseconds to wait before spending `units` at `now` (0 = now). */
export function waitBefore(window: UnitWindow, now: number, units: number, perMinute = PACED_UNITS_PER_MINUTE, perSecond = UNITS_PER_SECOND): number {
  prune(window, now);
  let wait = 0;
  // Minute window: wait until enough of the oldest spending has left it.
  let excess = window.reduce((sum, [, u]) => sum + u, 0) + units - perMinute;
  for (let i = 0; excess > 0 && i < window.length; i++) {
    excess -= window[i][1];
    if (excess <= 0) wait = Math.max(wait, window[i][0] + 60_000 - now);
  }
  // Second window: the same over the last 1,000 ms.
  const recent = window.filter(([at]) => at > now - 1000);
  let secondExcess = recent.reduce((sum, [, u]) => sum + u, 0) + units - perSecond;
  for (let i = 0; secondExcess > 0 && i < recent.length; i++) {
    secondExcess -= recent[i][1];
    if (secondExcess <= 0) wait = Math.max(wait, recent[i][0] + 1000 - now);
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
