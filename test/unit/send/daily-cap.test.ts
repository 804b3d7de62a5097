// The rolling 24 h cap from sent_at cells.

import { CAP_GATHER_MS, dailyCapStatus, DAY_MS, resumeRuleAtCap, whenSlotsFree } from '../../../src/server/domain/send/daily-cap';
import { formatSheetTime } from '../../../src/server/domain/send/send-list';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const hoursAgo = (h: number) => NOW - h * 3_600_000;

describe('dailyCapStatus', () => {
  it('counts the last 24 h from ISO text, Dates and numbers, ignoring blanks', () => {
    const cells = [
      formatSheetTime(hoursAgo(1)),
      new Date(hoursAgo(23)),
      hoursAgo(2),
      hoursAgo(25),
      formatSheetTime(hoursAgo(24)),
      '',
      'hier',
    ];
    expect(dailyCapStatus(cells, NOW, 10)).toEqual({
      cap: 10,
      sentInWindow: 3,
      remaining: 7,
      resumeAt: null,
      windowFreesAt: hoursAgo(23) + DAY_MS,
      unreadable: 1,
    });
  });

  it('at the cap, says when the next slot frees', () => {
    const cells = [hoursAgo(20), hoursAgo(5), hoursAgo(1)].map(formatSheetTime);
    expect(dailyCapStatus(cells, NOW, 3)).toMatchObject({ remaining: 0, resumeAt: hoursAgo(20) + DAY_MS });
    // Over the cap (the cap was lowered): wait until enough leave the window.
    expect(dailyCapStatus(cells, NOW, 2)).toMatchObject({ remaining: 0, resumeAt: hoursAgo(5) + DAY_MS });
  });

  it('an empty ledger leaves the whole cap', () => {
    expect(dailyCapStatus([], NOW, 2000)).toEqual({
      cap: 2000,
      sentInWindow: 0,
      remaining: 2000,
      resumeAt: null,
      windowFreesAt: null,
      unreadable: 0,
    });
  });
});

describe('resuming at the cap', () => {
  // A day at the cap as the pacer leaves it: bursts of 150 at 10 / s, one a minute, from 08:00.
  const dayBefore = Date.UTC(2025, 0, 14, 8, 0, 0);
  const paced = Array.from({ length: 2000 }, (_, i) => dayBefore + Math.floor(i / 150) * 60_000 + (i % 150) * 100);
  const cells = paced.map(formatSheetTime);

  it('waits for a group of slots, not the first one, when the window frees them one by one', () => {
    const now = dayBefore + DAY_MS - 1; // the first send of the day before is about to leave the window
    const first = dailyCapStatus(cells, now, 2000);
    expect(first.resumeAt).toBe(paced[0] + DAY_MS);
    const rule = resumeRuleAtCap(2000, 150, 8000);
    expect(rule).toEqual({ slots: 150, gatherMs: CAP_GATHER_MS });
    const status = dailyCapStatus(cells, now, 2000, rule);
    // The 150th oldest send leaves the window: a whole group may go at once.
    expect(status).toMatchObject({ remaining: 0, resumeAt: paced[149] + DAY_MS });
    expect(whenSlotsFree(paced, now, 2000, 150)).toBe(status.resumeAt);
  });

  it('gathers only the slots that free within CAP_GATHER_MS of the first (a tail is not left for the next day)', () => {
    // 50 sent at 08:00 in 5 s, then 1,950 twelve hours later: resume as soon as the 50 are free.
    const tail = [
      ...Array.from({ length: 50 }, (_, i) => dayBefore + i * 100),
      ...Array.from({ length: 1950 }, (_, i) => dayBefore + 12 * 3_600_000 + i * 100),
    ];
    const rule = resumeRuleAtCap(2000, 150, 5000);
    expect(dailyCapStatus(tail.map(formatSheetTime), dayBefore + DAY_MS - 1, 2000, rule).resumeAt).toBe(tail[49] + DAY_MS);
    // A cap of 360 reached by one send every 4 min: the slots of the first 10 min (at 0, 4 and 8 min).
    const trickle = Array.from({ length: 360 }, (_, i) => dayBefore + i * 240_000);
    const status = dailyCapStatus(trickle.map(formatSheetTime), dayBefore + DAY_MS - 1, 360, resumeRuleAtCap(360, 150, 5000));
    expect(status).toMatchObject({ sentInWindow: 360, remaining: 0, resumeAt: trickle[2] + DAY_MS });
    expect(trickle[2] - trickle[0]).toBeLessThanOrEqual(CAP_GATHER_MS);
  });

  it('asks for no more slots than rows left to send, nor than the cap', () => {
    expect(resumeRuleAtCap(2000, 150, 40).slots).toBe(40);
    expect(resumeRuleAtCap(20, 150, 5000).slots).toBe(20);
    expect(resumeRuleAtCap(2000, 150, 0).slots).toBe(1);
    // A cap of 3, reached: with 2 rows left, resume when 2 slots are free (within the gathering time).
    const times = [hoursAgo(20), hoursAgo(19.99), hoursAgo(1)];
    expect(dailyCapStatus(times.map(formatSheetTime), NOW, 3, resumeRuleAtCap(3, 150, 2)).resumeAt).toBe(hoursAgo(19.99) + DAY_MS);
  });
});

describe('whenSlotsFree', () => {
  it('finds when n more sends fit', () => {
    const times = [hoursAgo(23), hoursAgo(10), hoursAgo(2)];
    expect(whenSlotsFree(times, NOW, 5, 2)).toBe(NOW);
    expect(whenSlotsFree(times, NOW, 3, 1)).toBe(hoursAgo(23) + DAY_MS);
    expect(whenSlotsFree(times, NOW, 3, 2)).toBe(hoursAgo(10) + DAY_MS);
    expect(() => whenSlotsFree(times, NOW, 3, 4)).toThrow(RangeError);
  });
});
