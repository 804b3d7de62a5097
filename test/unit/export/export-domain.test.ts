// The export's pure domain: option checks (FR / EN), folder and file names, batch byte accounting,
// pacing on the Gmail quota, the `after:` query of `since`, the summary line, the message structure.

import { createHash } from 'node:crypto';
import {
  addToBatch,
  attachmentFileName,
  batchFileName,
  batchText,
  emptyBatch,
  exportFolderName,
  finishedSummary,
  fits,
  formatCount,
  gmailQueryFor,
  parseExportOptions,
  querySlug,
  readMessageView,
  rfc2822,
  sinceKey,
  spend,
  toExportedMessage,
  trackNewest,
  waitBefore,
  type UnitWindow,
} from '../../../src/server/domain/export';

describe('parseExportOptions', () => {
  it('gives the defaults', () => {
    expect(parseExportOptions(undefined, 'en')).toEqual({
      query: '',
      max: null,
      batchSize: 5000,
      folder: ['Postroom', 'exports'],
      includeAttachments: false,
      since: null,
    });
    expect(
      parseExportOptions(
        { query: ' from:me ', max: 10, batchSize: 1, folder: '/Compta/Exports/', includeAttachments: true, since: 'last' },
        'en',
      ),
    ).toEqual({
      query: 'from:me',
      max: 10,
      batchSize: 1,
      folder: ['Compta', 'Exports'],
      includeAttachments: true,
      since: 'last',
    });
    expect(parseExportOptions({ since: '2026-01-31', max: null }, 'fr')).toMatchObject({ since: '2026-01-31', max: null });
  });

  it.each([
    [
      { batchSize: 5001 },
      'batchSize must be a whole number from 1 to 5000 (got 5001).',
      'batchSize doit être un nombre entier de 1 à 5000 (reçu : 5001).',
    ],
    [
      { batchSize: '100' },
      'batchSize must be a whole number from 1 to 5000 (got "100").',
      'batchSize doit être un nombre entier de 1 à 5000 (reçu : "100").',
    ],
    [
      { max: -1 },
      'max must be a whole number of messages, 1 or more (got -1).',
      'max doit être un nombre entier de messages, 1 ou plus (reçu : -1).',
    ],
    [
      { since: '2026-02-30' },
      'since must be "last" or a day such as 2026-01-31 (got "2026-02-30").',
      'since doit valoir "last" ou un jour comme 2026-01-31 (reçu : "2026-02-30").',
    ],
    [
      { folder: '../x' },
      'folder must be a Drive folder path such as "Postroom/exports" (got "../x").',
      'folder doit être un chemin de dossier Drive comme « Postroom/exports » (reçu : "../x").',
    ],
    [
      [1],
      'Export options must be an object such as {"query": "from:me", "max": 100}.',
      'Les options d’export doivent être un objet, par exemple {"query": "from:me", "max": 100}.',
    ],
  ])('refuses %j naming the option', (input, en, fr) => {
    expect(() => parseExportOptions(input, 'en')).toThrow(en);
    expect(() => parseExportOptions(input, 'fr')).toThrow(fr);
    try {
      parseExportOptions(input, 'en');
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_INPUT');
    }
  });
});

describe('names', () => {
  it('slugs the query, names the folder, the batches and the attachments', () => {
    expect(querySlug('from:élodie@verre.fr has:attachment')).toBe('from-elodie-verre-fr-has-attachment');
    expect(querySlug('')).toBe('all-mail');
    expect(querySlug('***')).toBe('all-mail');
    expect(querySlug('x'.repeat(80))).toHaveLength(40);
    expect(exportFolderName('2026-01-20_0915', 'label:Factures')).toBe('2026-01-20_0915_label-factures');
    expect(exportFolderName('2026-01-20_0915', '', 3)).toBe('2026-01-20_0915_all-mail-3');
    expect(batchFileName(1)).toBe('messages-00001.json');
    expect(batchFileName(123)).toBe('messages-00123.json');
    expect(attachmentFileName('18c1', '2.1', 'a/b:c?.pdf')).toBe('18c1_2.1_a_b_c_.pdf');
    expect(attachmentFileName('18c1', '', '')).toBe('18c1_0_attachment');
  });
});

describe('batches', () => {
  it('counts the file’s UTF-8 bytes exactly and cuts by count and by size', () => {
    const batch = emptyBatch(0);
    expect(Buffer.byteLength(batchText(batch))).toBeLessThanOrEqual(batch.bytes);
    for (const [i, text] of ['{"a":"é"}', '{"b":"€€"}', '{"c":1}'].entries()) {
      const bytes = Buffer.byteLength(text);
      expect(fits(batch, bytes, 3, 1000)).toBe(true);
      addToBatch(batch, `id${i}`, text);
      expect(Buffer.byteLength(batchText(batch))).toBe(batch.bytes);
    }
    expect(JSON.parse(batchText(batch))).toEqual([{ a: 'é' }, { b: '€€' }, { c: 1 }]);
    expect(fits(batch, 5, 3, 1000)).toBe(false); // count
    expect(fits(batch, 5, 10, batch.bytes + 6)).toBe(false); // size: 5 bytes and the separator
    expect(fits(batch, 5, 10, batch.bytes + 7)).toBe(true);
    expect(fits(emptyBatch(0), 10_000, 1, 100)).toBe(true); // one message alone always fits
  });
});

describe('pacing', () => {
  it('keeps 250 units a second on average over 5 s, and 14,700 a minute', () => {
    const window: UnitWindow = [];
    for (let i = 0; i < 5; i++) {
      expect(waitBefore(window, i * 100, 250)).toBe(0); // a burst of 5 × 250
      spend(window, i * 100, 250);
    }
    expect(waitBefore(window, 500, 250)).toBe(4500); // until the first 250 leave the 5-s window
    const minute: UnitWindow = [];
    for (let i = 0; i < 58; i++) spend(minute, i * 1000, 250);
    // 58 × 250 = 14,500 spent in the last minute: 250 more would pass 14,700 until the first 250 leave the window.
    expect(waitBefore(minute, 58_000, 250)).toBe(2000);
    expect(waitBefore(minute, 60_001, 250)).toBe(0);
  });
});

describe('since', () => {
  it('bounds the query with after: and keys the mark by the query', () => {
    expect(gmailQueryFor('from:me OR to:me', { afterMs: 1_768_900_000_999 })).toBe('(from:me OR to:me) after:1768900000');
    expect(gmailQueryFor('', { day: '2026-01-05' })).toBe('after:2026/01/05');
    expect(gmailQueryFor(' label:x ', null)).toBe('label:x');
    const hash = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(sinceKey('from:me  has:attachment', hash)).toBe(sinceKey(' from:me has:attachment', hash));
    const run = { newestMs: null as number | null, newestIds: [] as string[] };
    trackNewest(run, 'a', 5_000);
    trackNewest(run, 'b', 5_400);
    trackNewest(run, 'c', 4_000);
    expect(run).toEqual({ newestMs: 5_400, newestIds: ['a', 'b'] });
  });
});

describe('summary and structure', () => {
  it('writes the summary line in the user’s language', () => {
    expect(formatCount('fr', 1234567)).toBe('1 234 567');
    expect(formatCount('en', 1234)).toBe('1,234');
    expect(finishedSummary({ state: 'done', exported: 1234, total: 1234, files: 1, error: null }, 'fr')).toBe(
      '1 234 messages exportés dans 1 fichier',
    );
    expect(finishedSummary({ state: 'done', exported: 2, total: 2, files: 2, error: null }, 'en')).toBe('2 messages exported in 2 files');
  });

  it('falls back to internalDate for a message without a Date header, and reads Latin-1 bodies', () => {
    const latin1 = Buffer.from('Relevé à régler', 'latin1').toString('base64url');
    const view = readMessageView({
      id: 'x1',
      threadId: 't1',
      internalDate: String(Date.UTC(2026, 0, 5, 8, 30)),
      payload: {
        partId: '',
        mimeType: 'text/plain',
        headers: [
          { name: 'Subject', value: '=?ISO-8859-1?Q?Relev=E9?=' },
          { name: 'Content-Type', value: 'text/plain; charset=ISO-8859-1' },
        ],
        body: { size: 15, data: latin1 },
      },
    });
    const message = toExportedMessage(view);
    expect(message).toMatchObject({
      Date: 'Mon, 05 Jan 2026 08:30:00 +0000',
      Subject: 'Relevé',
      Body: { plain: 'Relevé à régler', html: null },
      Attachments: [],
      From: '',
      To: '',
    });
    expect(rfc2822(0)).toBe('Thu, 01 Jan 1970 00:00:00 +0000');
  });
});
