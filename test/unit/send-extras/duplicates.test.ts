// Duplicates at planning: same recipients (any order, any case), same attachments and the same
// rendered subject as an earlier row, whatever its status, are flagged with that row's number in the
// user's language, unless confirmed.

import { describeDuplicate, findDuplicates } from '../../../src/server/domain/send/duplicates';
import { parseSendRows } from '../../../src/server/domain/send/send-list';

const header = ['key', 'period', 'to', 'cc', 'attachments', 'status'];
const rows = parseSendRows([
  header,
  ['CCT1', '2026-01', 'a@x.fr, b@x.fr', '', 'F1.pdf; CGV.pdf', 'sent'], // row 2
  ['CCT2', '2026-01', 'c@x.fr', '', 'F2.pdf', ''], // row 3
  ['CCT1', '2026-01', 'B@x.fr; a@x.fr', '', 'CGV.pdf, F1.pdf', ''], // row 4: duplicate of 2 (sent)
  ['CCT2', '2026-01', 'c@x.fr', '', 'F2.pdf', 'failed'], // row 5: duplicate of 3
  ['CCT2', '2026-02', 'c@x.fr', '', 'F2.pdf', ''], // row 6: another period, another subject
  ['CCT2', '2026-01', 'c@x.fr', 'd@x.fr', 'F2.pdf', ''], // row 7: one more recipient
  ['CCT2', '2026-01', 'c@x.fr', '', 'F2.pdf', 'skipped'], // row 8: skipped rows do not count
]).rows;
const selected = new Set([3, 4, 5, 6, 7]);
const subject = 'Votre facture {{key}} - {{period}}';

describe('findDuplicates', () => {
  test('flags later rows with the earlier row number', () => {
    expect(findDuplicates(rows, selected, subject)).toEqual([
      { rowNumber: 4, of: 2 },
      { rowNumber: 5, of: 3 },
    ]);
  });
  test('a subject that differs only by the template makes rows different', () => {
    expect(findDuplicates(rows, selected, 'Facture')).toEqual([
      { rowNumber: 4, of: 2 },
      { rowNumber: 5, of: 3 },
      { rowNumber: 6, of: 3 },
    ]);
  });
  test('confirmed rows go', () => {
    expect(findDuplicates(rows, selected, subject, true)).toEqual([]);
    expect(findDuplicates(rows, selected, subject, [5])).toEqual([{ rowNumber: 4, of: 2 }]);
  });
  test('words', () => {
    expect(describeDuplicate({ of: 12 }, 'fr')).toMatch(/^doublon de la ligne 12 /);
    expect(describeDuplicate({ of: 12 }, 'en')).toMatch(/^duplicate of row 12 /);
  });
});
