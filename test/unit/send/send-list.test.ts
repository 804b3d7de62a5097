// The Sends tab read from getValues() output: headers, cell types, periods, statuses, attachments.

import { PostroomError } from '../../../src/server/domain/errors';
import {
  cellText,
  formatSheetTime,
  parseAttachmentRefs,
  parsePeriod,
  parseSendRows,
  parseSheetTime,
  planHeaderRow,
  SEND_HEADERS,
  toSheetText,
} from '../../../src/server/domain/send/send-list';

/** A date cell as getValues() returns it: local midnight in the sheet's zone (Paris, UTC+1 in January). */
const parisMidnight = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - 3_600_000);

describe('parseSendRows', () => {
  const values: unknown[][] = [
    ['CCT', ' Période ', 'To', 'CC', 'bcc', 'Attachments', 'Status', 'Attempts', 'Nom Client', 'Montant', 'Échéance'],
    [123, parisMidnight(2025, 1, 1), 'a@x.fr; b@x.fr', '', '', 'FACTURE_2025_01.pdf', '', '', 'Élodie', 1234.5, parisMidnight(2025, 2, 15)],
    ['', '', '', '', '', '', '', '', '', '', ''],
    ['CCT456', '2025-2', 'c@x.fr', '', '', '', 'SENT', 1, true, 0, ''],
    ['CCT789', 'janvier', 'd@x.fr', '', '', '', 'envoyé', '', '', '', ''],
  ];

  it('types every cell and keeps sheet row numbers', () => {
    const table = parseSendRows(values);
    expect(table.rows.map((r) => r.rowNumber)).toEqual([2, 4, 5]);
    const [first, second, third] = table.rows;
    expect(first.key).toBe('123');
    expect(first.period).toBe('2025-01');
    expect(first.status).toBe('pending');
    expect(first.fields).toMatchObject({
      cct: '123',
      key: '123',
      periode: '2025-01',
      period: '2025-01',
      nom_client: 'Élodie',
      montant: '1234.5',
      echeance: '2025-02-15',
    });
    expect(second).toMatchObject({ key: 'CCT456', period: '2025-02', status: 'sent', attempts: 1 });
    expect(second.fields.nom_client).toBe('TRUE');
    expect(third).toMatchObject({ status: null, statusText: 'envoyé', period: '' });
    expect(third.periodProblem).toContain('not a period');
  });

  it('maps columns case- and space-insensitively, with the cct alias', () => {
    const table = parseSendRows([['CCT', 'Sent At', 'to']]);
    expect(table.columns).toEqual({ key: 0, sent_at: 1, to: 2 });
  });

  it('refuses an empty tab, a missing to column and duplicate columns', () => {
    expect(() => parseSendRows([])).toThrow(PostroomError);
    expect(() => parseSendRows([['key', 'period']])).toThrow('no "to" column');
    expect(() => parseSendRows([['key', 'CCT', 'to']])).toThrow('two "key" columns');
  });

  it('uses the sheet time zone when the adapter gives it', () => {
    // Noumea (UTC+11): local midnight on 1 Feb is 13:00 UTC on 31 Jan.
    const noumea = new Date(Date.UTC(2025, 0, 31, 13));
    expect(
      parseSendRows(
        [
          ['to', 'period'],
          ['a@x.fr', noumea],
        ],
        { timeZoneOffsetMinutes: () => 660 },
      ).rows[0].period,
    ).toBe('2025-02');
    expect(
      parseSendRows(
        [
          ['to', 'period'],
          ['a@x.fr', noumea],
        ],
        { timeZoneOffsetMinutes: () => 0 },
      ).rows[0].period,
    ).toBe('2025-01');
  });
});

describe('cell and period parsing', () => {
  it('keeps the digits of numbers', () => {
    expect(cellText(123)).toBe('123');
    expect(cellText(1e20)).toBe('100000000000000000000');
    expect(cellText(0.5)).toBe('0.5');
    expect(cellText(false)).toBe('FALSE');
    expect(cellText(null)).toBe('');
  });
  it.each([
    ['2025-01', '2025-01'],
    ['2025-1', '2025-01'],
    ['2025/12', '2025-12'],
    ['01/2025', '2025-01'],
    ['2025-01-31', '2025-01'],
    ['', ''],
  ])('reads %j as %j', (input, period) => {
    expect(parsePeriod(input)).toEqual({ period, problem: null });
  });
  it.each(['2025-13', '13/2025', 'janvier 2025', '2025'])('rejects %j', (input) => {
    expect(parsePeriod(input).problem).not.toBeNull();
  });
  it('reads a Date period in any zone within ±12 h without the adapter', () => {
    for (const offsetHours of [-11, -4, 0, 1, 2, 4, 11]) {
      const localMidnight = new Date(Date.UTC(2025, 2, 1) - offsetHours * 3_600_000);
      expect(parsePeriod(localMidnight).period).toBe('2025-03');
    }
  });
});

describe('attachments cell', () => {
  it('reads ids, Drive URLs and names, split on , ; and newlines', () => {
    const id = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456';
    const cell = `FACTURE_2025_01.pdf; https://drive.google.com/file/d/${id}/view?usp=sharing,\nhttps://drive.google.com/open?id=${id}\n${id} ; Relevé été.pdf`;
    expect(parseAttachmentRefs(cell)).toEqual([
      { kind: 'name', name: 'FACTURE_2025_01.pdf', raw: 'FACTURE_2025_01.pdf' },
      { kind: 'id', id, raw: `https://drive.google.com/file/d/${id}/view?usp=sharing` },
      { kind: 'id', id, raw: `https://drive.google.com/open?id=${id}` },
      { kind: 'id', id, raw: id },
      { kind: 'name', name: 'Relevé été.pdf', raw: 'Relevé été.pdf' },
    ]);
    expect(parseAttachmentRefs(' ;\n ')).toEqual([]);
  });
});

describe('writing back', () => {
  it('appends the missing Postroom columns after the user’s own', () => {
    const { headers, added } = planHeaderRow(['CCT', 'To', 'Montant', '', '']);
    expect(headers.slice(0, 3)).toEqual(['CCT', 'To', 'Montant']);
    expect(added).toEqual(SEND_HEADERS.filter((h) => h !== 'key' && h !== 'to'));
    expect(planHeaderRow(SEND_HEADERS).added).toEqual([]);
  });
  it('neutralises formulas in untrusted text', () => {
    expect(toSheetText('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(toSheetText('-1')).toBe("'-1");
    expect(toSheetText('Invalid To header')).toBe('Invalid To header');
  });
  it('round-trips times as ISO text, and reads Dates and numbers', () => {
    const t = Date.UTC(2025, 0, 15, 9, 30, 1, 250);
    expect(parseSheetTime(formatSheetTime(t))).toBe(t);
    expect(parseSheetTime(new Date(t))).toBe(t);
    expect(parseSheetTime(t)).toBe(t);
    expect(parseSheetTime('')).toBeNull();
    expect(parseSheetTime('hier')).toBeNull();
    expect(parseSheetTime('2025-01-15')).toBeNull();
  });
});
