// The pacer driven by a simulated job: it must reach the ceiling and never pass any limit.

import { GMAIL_USER_UNITS_PER_MINUTE, SendPacer, type PacerState } from '../../../src/server/domain/send/pacing';
import { DEFAULT_SEND_SETTINGS } from '../../../src/server/domain/send/settings';

/** Runs a greedy sender for `durationMs`; returns the send start times. */
function simulate(pacer: SendPacer, durationMs: number, start = 0, roundTripMs = 0): number[] {
  const sends: number[] = [];
  let now = start;
  while (now < start + durationMs) {
    const slot = pacer.nextSlot(now);
    if (slot.allowed > 0) {
      pacer.take(slot.allowed, now);
      for (let i = 0; i < slot.allowed; i++) sends.push(now);
      now += roundTripMs;
      pacer.finishBatch(now);
    } else {
      expect(slot.waitMs).toBeGreaterThan(0);
      now += slot.waitMs;
    }
  }
  return sends;
}

function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[j] <= times[i] - windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('SendPacer', () => {
  it('reaches 150 sends / min with the default settings and never passes 10 / s or 150 / min', () => {
    const pacer = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    const sends = simulate(pacer, 10 * 60_000);
    expect(sends.length).toBe(1500);
    expect(maxInWindow(sends, 1000)).toBe(10);
    expect(maxInWindow(sends, 60_000)).toBe(150);
    // Quota units spent in any 60 s never exceed 15,000.
    expect(maxInWindow(sends, 60_000) * 100).toBeLessThanOrEqual(GMAIL_USER_UNITS_PER_MINUTE);
  });

  it('the units alone hold the rate to 15,000 units in any 60 s, whatever maxPerMinute says', () => {
    const pacer = new SendPacer({ maxPerSecond: 1000, maxPerMinute: 1000, batchSize: 1000, pauseBetweenBatchesMs: 0 });
    const sends = simulate(pacer, 5 * 60_000);
    expect(sends.filter((t) => t === 0)).toHaveLength(150); // a full bucket: one minute's worth
    // Afterwards 150 a minute, never more in any 60 s (the window Gmail counts).
    expect(sends.filter((t) => t >= 60_000 && t < 120_000)).toHaveLength(150);
    expect(maxInWindow(sends, 60_000)).toBe(150);
  });

  it('pauses between batches (batch size 50, delay 1 s)', () => {
    const pacer = new SendPacer({ maxPerSecond: 10, maxPerMinute: 150, batchSize: 50, pauseBetweenBatchesMs: 1_000 });
    const sends = simulate(pacer, 60_000, 0, 200);
    // 50 sends take 5 s at 10 / s, then the pause starts when the 50th batch's requests returned.
    expect(sends[49]).toBe(4_000);
    expect(sends[50]).toBe(4_000 + 200 + 1_000);
    expect(maxInWindow(sends, 60_000)).toBeLessThanOrEqual(150);
  });

  it('says how long to wait and what limits it', () => {
    const pacer = new SendPacer({ maxPerSecond: 2, maxPerMinute: 3, batchSize: 10, pauseBetweenBatchesMs: 0 });
    pacer.take(2, 0);
    expect(pacer.nextSlot(0)).toEqual({ allowed: 0, waitMs: 1000, limitedBy: 'perSecond' });
    expect(pacer.nextSlot(1000)).toEqual({ allowed: 1, waitMs: 0, limitedBy: 'none' });
    pacer.take(1, 1000);
    expect(pacer.nextSlot(2000)).toEqual({ allowed: 0, waitMs: 58_000, limitedBy: 'perMinute' });
    expect(pacer.nextSlot(60_000).allowed).toBe(2);
  });

  it('refuses to take more than allowed', () => {
    const pacer = new SendPacer({ maxPerSecond: 2, maxPerMinute: 150, batchSize: 50, pauseBetweenBatchesMs: 0 });
    expect(() => pacer.take(3, 0)).toThrow(RangeError);
    pacer.take(2, 0);
    expect(() => pacer.take(1, 500)).toThrow('only 0 allowed (perSecond)');
  });

  it('blocks after a 429 and restarts from an empty bucket', () => {
    const pacer = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    pacer.block(30_000, 0);
    expect(pacer.nextSlot(10_000)).toEqual({ allowed: 0, waitMs: 20_000, limitedBy: 'blocked' });
    // 30 s of refill at 250 units / s = 7,500 units = 75 sends, capped by 10 / s.
    expect(pacer.nextSlot(30_000).allowed).toBe(10);
  });

  it('with a Retry-After, holds only that long and keeps the bucket; a refused send gives its slot back', () => {
    const pacer = SendPacer.fromSettings({ ...DEFAULT_SEND_SETTINGS, maxPerSecond: 150, batchSize: 150 });
    pacer.take(150, 0);
    expect(pacer.nextSlot(1_000).allowed).toBe(0);
    // Gmail refused one of them (429, not run) and said to come back in 1 s.
    pacer.refund(0, 1_000);
    pacer.block(2_000, 1_000, false);
    expect(pacer.nextSlot(1_500)).toEqual({ allowed: 0, waitMs: 500, limitedBy: 'blocked' });
    // Its slot counts in no window: one send may start at once after the hold, and no more.
    expect(pacer.nextSlot(2_000).allowed).toBe(1);
    // Without a Retry-After the bucket is emptied as before.
    const emptied = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    emptied.block(1_000, 0);
    expect(emptied.nextSlot(1_000).allowed).toBe(2);
  });

  it('charges other calls to the same bucket and window', () => {
    const pacer = new SendPacer({ maxPerSecond: 100, maxPerMinute: 150, batchSize: 100, pauseBetweenBatchesMs: 0 });
    pacer.spendUnits(14_950, 0);
    // The bucket would refill in 200 ms, but Gmail's 60-s window holds those units until 60 s.
    expect(pacer.nextSlot(0)).toEqual({ allowed: 0, waitMs: 60_000, limitedBy: 'units' });
    expect(pacer.nextSlot(59_999).allowed).toBe(0);
    expect(pacer.nextSlot(60_000).allowed).toBe(100);
  });

  it('counts other calls in the 60-s window of units too, as Gmail does (sends + other units ≤ 15,000 in any minute)', () => {
    const pacer = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    const sends = simulate(pacer, 20_000);
    expect(sends).toHaveLength(150);
    // A look in SENT at 30 s (list 5 + 9 gets): 50 units in the window, so the first freed slots at 60 s
    // leave room for one send fewer until the look itself leaves the window at 90 s.
    pacer.spendUnits(50, 30_000);
    pacer.refund(sends[0], 30_000);
    expect(pacer.nextSlot(30_000).allowed).toBe(0);
    const later = simulate(pacer, 80_000, 30_000);
    const all = [...sends.slice(1), ...later];
    // Every 60-s window: sends × 100 + the 50 units of the look, never above 15,000.
    for (const t of all) {
      const inside = all.filter((x) => x > t - 60_000 && x <= t).length * 100 + (t > 30_000 && t - 60_000 < 30_000 ? 50 : 0);
      expect(inside).toBeLessThanOrEqual(GMAIL_USER_UNITS_PER_MINUTE);
    }
    // The refunded slot was used at once (149 sends in the first window + 1), and the ceiling is reached again.
    expect(maxInWindow(all, 60_000)).toBe(150);
  });

  it('reads a state saved before the window of other calls was kept', () => {
    const first = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    simulate(first, 5_000);
    const { other: _other, ...old } = first.toState();
    const pacer = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS, old as PacerState);
    pacer.spendUnits(10, 5_000);
    expect(pacer.toState().other).toEqual([[5_000, 10]]);
  });

  it('continues across executions from its JSON state', () => {
    const first = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    const sends = simulate(first, 20_000);
    const state: PacerState = JSON.parse(JSON.stringify(first.toState()));
    expect(JSON.stringify(state).length).toBeLessThan(3_000);
    const second = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS, state);
    const more = simulate(second, 120_000, 20_000);
    const all = [...sends, ...more];
    expect(maxInWindow(all, 60_000)).toBe(150);
    expect(maxInWindow(all, 1000)).toBe(10);
  });

  it('capacity: how many sends the next minute holds, without using them', () => {
    const pacer = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    // Fresh: 150 in the first 15 s at 10 / s, then the minute window is full until the first expire.
    expect(pacer.capacity(0, 59_999)).toBe(150);
    expect(pacer.capacity(0, 5_000)).toBe(60);
    expect(pacer.capacity(0, 60_000, 150)).toBe(150);
    expect(pacer.capacity(0, 0)).toBe(10);
    // Asking does not take: the next slot is still the full one.
    expect(pacer.nextSlot(0).allowed).toBe(10);
    // Once a minute's worth is sent, nothing fits before the window frees.
    const sends = simulate(pacer, 20_000);
    expect(sends).toHaveLength(150);
    expect(pacer.capacity(20_000, 30_000)).toBe(0);
    expect(pacer.capacity(20_000, 40_000)).toBe(10);
    // A 429 block holds everything until it ends.
    const blocked = SendPacer.fromSettings(DEFAULT_SEND_SETTINGS);
    blocked.block(30_000, 0);
    expect(blocked.capacity(0, 29_999)).toBe(0);
    // The capacity is what a greedy sender really gets over the same span.
    const fresh = SendPacer.fromSettings({ ...DEFAULT_SEND_SETTINGS, maxPerSecond: 3, batchSize: 7, pauseBetweenBatchesMs: 2_000 });
    const predicted = fresh.capacity(0, 30_000);
    expect(simulate(fresh, 30_001)).toHaveLength(predicted);
  });
});

describe('full bursts', () => {
  const limits = { maxPerSecond: 10, maxPerMinute: 150, batchSize: 50, pauseBetweenBatchesMs: 0 };

  it('waitForRoom: the time until n sends may start at once, or null beyond the horizon', () => {
    const pacer = new SendPacer(limits, null, 0);
    pacer.take(9, 0);
    pacer.take(1, 660);
    expect(pacer.nextSlot(1_000).allowed).toBe(9);
    const wait = pacer.waitForRoom(10, 1_000, 1_000);
    expect(wait).not.toBeNull();
    expect(1_000 + (wait as number)).toBeGreaterThan(1_660);
    expect(pacer.nextSlot(1_000 + (wait as number)).allowed).toBe(10);
    expect(pacer.waitForRoom(10, 1_000, 500)).toBeNull();
    // Asking changes nothing.
    expect(pacer.nextSlot(1_000).allowed).toBe(9);
  });

  it('without a pause between batches, a burst is not cut at the end of a batch', () => {
    const pacer = new SendPacer(limits, null, 0);
    pacer.take(9, 0);
    for (let t = 1_000; t <= 4_000; t += 1_000) pacer.take(10, t);
    // 49 sent: the batch of 50 would allow 1; with no pause to make, the second allows 10.
    expect(pacer.nextSlot(5_000).allowed).toBe(10);
    const paused = new SendPacer({ ...limits, pauseBetweenBatchesMs: 2_000 }, null, 0);
    paused.take(9, 0);
    for (let t = 1_000; t <= 4_000; t += 1_000) paused.take(10, t);
    expect(paused.nextSlot(5_000).allowed).toBe(1);
  });
});
