// The lasting send log: records become JSON Lines and come back as the seed's lines in French and
// English; a line cut by a killed write and a repeated record (an execution killed before saving its
// state) do not spoil the reading; progress lines fall every tenth of the send.

import {
  endRecord,
  makeLogEntry,
  progressDue,
  progressRecord,
  readRunEntries,
  renderLogEntry,
  sendLogFileName,
  toJsonl,
} from '../../../src/server/domain/send/send-log';

const t0 = Date.UTC(2026, 0, 15, 9);

describe('send log', () => {
  const entries = [
    makeLogEntry('run1', t0, { kind: 'start', total: 500 }),
    makeLogEntry('run1', t0 + 4000, progressRecord(50, 500, t0, t0 + 4000)),
    makeLogEntry('run1', t0 + 4100, { kind: 'sent', row: 2, gmailId: '18d2abc123def456', recipients: ['client@example.com'], key: 'CCT1' }),
    makeLogEntry('run1', t0 + 4200, { kind: 'failed', row: 3, key: 'CCT2', error: 'Invalid To header\nsecond line' }),
    makeLogEntry('run1', t0 + 42_300, endRecord({ sent: 498, failed: 2, total: 500 }, t0, t0 + 42_300)),
  ];

  test('the seed lines, in French and English', () => {
    const fr = entries.map((e) => renderLogEntry(e, 'fr').text);
    expect(fr).toEqual([
      'Début de l’envoi de 500 emails',
      'Progression : 50/500 emails envoyés (12,5 emails/s, temps restant estimé : 36,0 s)',
      'Email envoyé (ID : 18d2abc123def456) à client@example.com',
      'Email de la ligne 3 (CCT2) NON envoyé : Invalid To header second line',
      'Envoi terminé : 498 succès, 2 erreur(s) sur 500 emails (temps total : 42,3 s, moyenne : 11,8 emails/s)',
    ]);
    expect(renderLogEntry(entries[4], 'en').text).toBe(
      'Send finished: 498 succeeded, 2 error(s) out of 500 emails (total time: 42.3 s, average: 11.8 emails/s)',
    );
    expect(entries.map((e) => e.level)).toEqual(['info', 'info', 'success', 'error', 'success']);
  });

  test('JSON Lines round trip: other runs, a cut line and repeated records are left out', () => {
    const other = makeLogEntry('run2', t0, { kind: 'start', total: 3 });
    const text =
      toJsonl([entries[0], other, entries[2]]) + toJsonl([entries[2], entries[3]]) + '{"runId":"run1","at":' + '\n' + toJsonl([entries[4]]);
    const read = readRunEntries(text, 'run1');
    expect(read.map((e) => e.kind)).toEqual(['start', 'sent', 'failed', 'end']);
    expect(sendLogFileName('2026-01-15')).toBe('send-2026-01-15.jsonl');
  });

  test('two recipients of one row bouncing, and retries of two rows at the same instant, are all kept', () => {
    const text = toJsonl([
      makeLogEntry('run1', t0, { kind: 'bounced', row: 4, key: 'K', recipient: 'a@x.fr', reason: '550' }),
      makeLogEntry('run1', t0, { kind: 'bounced', row: 4, key: 'K', recipient: 'b@x.fr', reason: '550' }),
      makeLogEntry('run1', t0, { kind: 'retry', row: 0, key: 'K1', error: '429', delayMs: 5000 }),
      makeLogEntry('run1', t0, { kind: 'retry', row: 0, key: 'K2', error: '429', delayMs: 5000 }),
    ]);
    expect(readRunEntries(text, 'run1')).toHaveLength(4);
  });

  test('progress lines every tenth (at most every 50)', () => {
    const due = [];
    let before = 0;
    for (let done = 1; done <= 500; done++) {
      if (progressDue(before, done, 500)) due.push(done);
      before = done;
    }
    expect(due).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450]);
    expect(progressDue(0, 1, 5)).toBe(true);
    expect(progressDue(10, 60, 2000)).toBe(true);
    expect(progressDue(50, 60, 2000)).toBe(false);
  });
});
