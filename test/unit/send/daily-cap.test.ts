// The rolling 24 h cap from sent_at cells.

import { dailyCapStatus, DAY_MS, whenSlotsFree } from '../../../src/server/domain/send/daily-cap';
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

describe('whenSlotsFree', () => {
  it('finds when n more sends fit', () => {
    const times = [hoursAgo(23), hoursAgo(10), hoursAgo(2)];
    expect(whenSlotsFree(times, NOW, 5, 2)).toBe(NOW);
    expect(whenSlotsFree(times, NOW, 3, 1)).toBe(hoursAgo(23) + DAY_MS);
    expect(whenSlotsFree(times, NOW, 3, 2)).toBe(hoursAgo(10) + DAY_MS);
    expect(() => whenSlotsFree(times, NOW, 3, 4)).toThrow(RangeError);
  });
});
