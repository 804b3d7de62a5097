// getSendLog over a store: the days read are the run's (from the day before its start to 45 days
// after), a bad run id is refused, and the lines come in the reader's language.

import { makeLogEntry, toJsonl, readRunEntries } from '../../../src/server/domain/send/send-log';
import { logDays, readSendLog } from '../../../src/server/jobs/send-extras/send-log-read';
import type { SendLogStore } from '../../../src/server/ports/send-extras';

describe('readSendLog', () => {
  const t0 = Date.UTC(2026, 2, 1, 9);
  const text = toJsonl([
    makeLogEntry('S20260301T090000-ab12', t0, { kind: 'start', total: 2 }),
    makeLogEntry('S20260301T090000-ab12', t0 + 1000, { kind: 'end', sent: 2, failed: 0, total: 2, totalMs: 1000, ratePerSec: 2 }),
  ]);
  const asked: Array<[string, string, string]> = [];
  const store: SendLogStore = {
    append: () => undefined,
    readRun: (runId, fromDay, toDay) => {
      asked.push([runId, fromDay, toDay]);
      return readRunEntries(text, runId);
    },
    fileUrl: () => '',
    dayOf: () => '2026-03-01',
  };

  test('reads the run days and renders the lines', () => {
    const view = readSendLog(store, 'S20260301T090000-ab12', 'en');
    expect(asked).toEqual([['S20260301T090000-ab12', '2026-02-28', '2026-04-15']]);
    expect(view.lines.map((l) => [l.level, l.text])).toEqual([
      ['info', 'Starting to send 2 emails'],
      ['success', 'Send finished: 2 succeeded, 0 error(s) out of 2 emails (total time: 1.0 s, average: 2.0 emails/s)'],
    ]);
  });

  test('a bad run id is refused; an id without a date reads every day', () => {
    expect(() => readSendLog(store, '../x', 'fr')).toThrow(/runId/);
    expect(logDays('test')).toEqual({ fromDay: '0000-00-00', toDay: '9999-12-31' });
  });
});
