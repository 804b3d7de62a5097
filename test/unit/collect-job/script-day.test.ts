// The collect day folder's name: the day of an instant in the script's time zone by Intl, which must be
// the day Utilities.formatDate(date, zone, 'yyyy-MM-dd') gives (the emulator's formatDate, Java's
// SimpleDateFormat over the same IANA rules), DST changes included, at every quarter hour of a year.

import { FakeUtilities } from '../../../emulator/services/utilities';
import { intlDay, intlDayFormat } from '../../../src/server/adapters/collect-platform';

const utilities = new FakeUtilities({ call: (_method: string, fn: () => unknown) => fn() } as never);

describe('intlDay', () => {
  it.each([
    // Paris: CET → CEST on 29 March 2026 at 01:00 UTC, back on 25 October at 01:00 UTC.
    ['Europe/Paris', '2026-03-28T22:59:59Z', '2026-03-28'],
    ['Europe/Paris', '2026-03-28T23:00:00Z', '2026-03-29'],
    ['Europe/Paris', '2026-10-24T21:59:59Z', '2026-10-24'],
    ['Europe/Paris', '2026-10-24T22:00:00Z', '2026-10-25'],
    ['Europe/Paris', '2026-10-25T22:59:59Z', '2026-10-25'],
    ['Europe/Paris', '2026-10-25T23:00:00Z', '2026-10-26'],
    // Los Angeles: PST → PDT on 8 March 2026, back on 1 November.
    ['America/Los_Angeles', '2026-03-08T07:59:59Z', '2026-03-07'],
    ['America/Los_Angeles', '2026-03-08T08:00:00Z', '2026-03-08'],
    ['America/Los_Angeles', '2026-11-01T06:59:59Z', '2026-10-31'],
    ['America/Los_Angeles', '2026-11-01T07:00:00Z', '2026-11-01'],
    ['Asia/Kathmandu', '2026-01-04T18:14:59Z', '2026-01-04'],
    ['Asia/Kathmandu', '2026-01-04T18:15:00Z', '2026-01-05'],
  ])('%s %s → %s', (zone, iso, day) => {
    expect(intlDay(intlDayFormat(zone)!, Date.parse(iso))).toBe(day);
  });

  it.each(['Europe/Paris', 'America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'])(
    'gives the day of Utilities.formatDate at every quarter hour of 2026 in %s',
    (zone) => {
      const format = intlDayFormat(zone)!;
      const start = Date.UTC(2026, 0, 1);
      const mismatches: string[] = [];
      for (let ms = start; ms < Date.UTC(2027, 0, 1); ms += 900_000) {
        const expected = utilities.formatDate(new Date(ms), zone, 'yyyy-MM-dd');
        if (intlDay(format, ms) !== expected) mismatches.push(`${new Date(ms).toISOString()}: ${expected}`);
      }
      expect(mismatches).toEqual([]);
    },
  );

  it('has no formatter for a zone Intl does not know (the day then comes from Utilities)', () => {
    expect(intlDayFormat('Mars/Olympus_Mons')).toBeNull();
  });
});
