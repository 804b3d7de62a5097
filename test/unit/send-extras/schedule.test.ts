// Scheduled sends: a date and time in the user's zone become the right instant, in Paris across both
// daylight-saving changes (a time that does not exist moves forward, a time that happens twice is the
// first one), and bad input is refused with a message in the user's language.

import {
  describeSchedule,
  epochToLocal,
  parseLocalDateTime,
  planSchedule,
  ScheduleError,
  zonedToEpoch,
} from '../../../src/server/domain/send/schedule';
import { zonedParts } from '../../../emulator/services/time-zone';

const paris = (ms: number) => zonedParts(ms, 'Europe/Paris').offsetMinutes;
const ny = (ms: number) => zonedParts(ms, 'America/New_York').offsetMinutes;
const at = (date: string, time: string, offsetAt = paris) => zonedToEpoch(parseLocalDateTime(date, time), offsetAt);

describe('zonedToEpoch', () => {
  test('winter and summer times in Paris', () => {
    expect(at('2026-01-15', '09:00').at).toBe(Date.UTC(2026, 0, 15, 8, 0));
    expect(at('2026-07-15', '09:00').at).toBe(Date.UTC(2026, 6, 15, 7, 0));
  });
  test('the day clocks go forward (29 March 2026): before, in the gap, after', () => {
    expect(at('2026-03-29', '01:30')).toEqual({ at: Date.UTC(2026, 2, 29, 0, 30), shiftedMinutes: 0 });
    expect(at('2026-03-29', '02:30')).toEqual({ at: Date.UTC(2026, 2, 29, 1, 30), shiftedMinutes: 60 });
    expect(epochToLocal(Date.UTC(2026, 2, 29, 1, 30), paris)).toEqual({ date: '2026-03-29', time: '03:30' });
    expect(at('2026-03-29', '09:00')).toEqual({ at: Date.UTC(2026, 2, 29, 7, 0), shiftedMinutes: 0 });
  });
  test('the day clocks go back (25 October 2026): 02:30 happens twice, the first is taken', () => {
    expect(at('2026-10-25', '02:30').at).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(at('2026-10-25', '03:30').at).toBe(Date.UTC(2026, 9, 25, 2, 30));
    expect(at('2026-10-25', '09:00').at).toBe(Date.UTC(2026, 9, 25, 8, 0));
  });
  test('another zone (New York, 8 March 2026 gap)', () => {
    expect(at('2026-03-08', '02:30', ny)).toEqual({ at: Date.UTC(2026, 2, 8, 7, 30), shiftedMinutes: 60 });
    expect(at('2026-03-09', '09:00', ny).at).toBe(Date.UTC(2026, 2, 9, 13, 0));
  });
});

describe('planSchedule', () => {
  const context = { now: Date.UTC(2026, 2, 27, 12), timeZone: 'Europe/Paris', offsetAt: paris, user: 'compta@acme.fr' };
  test('a send on the Sunday after the change, typed the French way', () => {
    const { schedule, shiftedMinutes } = planSchedule({ date: '29/03/2026', time: '9h00', filter: { period: '2026-03' } }, context);
    expect(schedule.runAt).toBe(Date.UTC(2026, 2, 29, 7));
    expect(shiftedMinutes).toBe(0);
    expect(describeSchedule(schedule, 'fr')).toBe('Envoi programmé le 29/03/2026 à 09:00 (Europe/Paris)');
    expect(describeSchedule(schedule, 'en')).toBe('Scheduled for 2026-03-29 at 09:00 (Europe/Paris)');
  });
  test('bad input is refused in the user language', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as ScheduleError).describe('fr');
      }
      return 'no error';
    };
    expect(message(() => planSchedule({ date: '2026-02-30', time: '09:00' }, context))).toBe('Le 2026-02-30 n’existe pas');
    expect(message(() => planSchedule({ date: '2026-03-28', time: '25:00' }, context))).toContain('Heure invalide');
    expect(message(() => planSchedule({ date: '2026-03-27', time: '12:00' }, context))).toContain('déjà passée');
    expect(message(() => planSchedule({ date: '2028-03-27', time: '12:00' }, context))).toContain('plus d’un an');
    expect(message(() => planSchedule({ date: 'demain', time: '12:00' }, context))).toContain('Date invalide');
  });
});
